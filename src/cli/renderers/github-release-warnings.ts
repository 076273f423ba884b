/**
 * The warnings of a release of several functions, for GitHub: what each function's result says
 * (said before its shift: nothing watches health, the analysis, credentials, an event source
 * mapping, a hook…) as a single deploy's become `::warning` lines (github-warnings.ts), each
 * distinct warning once, naming the functions it is about; then one per function whose analysis
 * never judged. Workflow commands:
 * https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
 */
import { describeNeverJudged } from '../../domain/analysis/plan-check.js';
import type { WarningTopic } from '../../domain/events.js';
import type { ReasonedResult } from '../describe-outcome.js';
import type { ReasonedRelease } from '../describe-release.js';
import { WARNING_TITLE } from './github-warnings.js';
import { inline } from './summary-text.js';
import { escapeMessage, escapeProperty } from './workflow-escape.js';

/** GitHub shows at most 10 warning annotations per step; more would be lost anyway. */
export const MAX_WARNING_ANNOTATIONS = 10;
/** A warning of more functions names this many, then counts the rest. */
const NAMED_FUNCTIONS = 5;

/** One warning of the release: what it says, about which functions (all: `every`), its title. */
export interface ReleaseWarning {
  message: string;
  targets: string[];
  every: boolean;
  title: string;
  /** A function's analysis never judged (counted as such when the annotations run out). */
  neverJudged: boolean;
}

/**
 * Every warning of the release in the order said: each distinct one of the functions' results
 * once, then each never-judged function's own. `topics`: what each warning is about.
 */
export function listReleaseWarnings(
  result: ReasonedRelease,
  topics: ReadonlyMap<string, WarningTopic> = new Map(),
): ReleaseWarning[] {
  const byMessage = new Map<string, string[]>();
  for (const f of result.functions) {
    const unjudged = neverJudged(f);
    for (const w of new Set(f.warnings ?? [])) {
      if (w !== unjudged) byMessage.set(w, [...(byMessage.get(w) ?? []), target(f)]);
    }
  }
  const count = result.functions.length;
  const said = [...byMessage].map(([message, targets]) => ({
    message,
    targets,
    every: count > 1 && targets.length === count,
    title: titleOf(topics.get(message)),
    neverJudged: false,
  }));
  const unjudged = result.functions.flatMap((f) => {
    const message = neverJudged(f);
    if (message === undefined) return [];
    return [
      { message, targets: [target(f)], every: false, title: WARNING_TITLE.analysis, neverJudged: true },
    ];
  });
  return [...said, ...unjudged];
}

/** `::warning title=…::<functions>: <warning>` each, at most 10 (the tenth counts the rest). */
export function githubReleaseWarnings(
  result: ReasonedRelease,
  topics: ReadonlyMap<string, WarningTopic> = new Map(),
): string[] {
  const warnings = listReleaseWarnings(result, topics);
  const lines = warnings.map((w) => ({
    title: w.title,
    text: `${w.every ? `every function of release ${result.releaseId}` : nameTargets(w.targets)}: ${w.message}`,
  }));
  const kept =
    lines.length > MAX_WARNING_ANNOTATIONS
      ? [
          ...lines.slice(0, MAX_WARNING_ANNOTATIONS - 1),
          countRest(warnings.slice(MAX_WARNING_ANNOTATIONS - 1), result.releaseId),
        ]
      : lines;
  return kept.map((l) => `::warning title=${escapeProperty(l.title)}::${escapeMessage(l.text)}`);
}

/** The step summary's `### Warnings`: each warning once, as the annotations say it. */
export function renderReleaseWarnings(result: ReasonedRelease): string[] {
  const warnings = listReleaseWarnings(result);
  if (warnings.length === 0) return [];
  const about = (w: ReleaseWarning) =>
    w.every ? 'every function' : nameTargets(w.targets.map((t) => `\`${t}\``));
  return ['### Warnings', '', ...warnings.map((w) => `- ⚠️ ${about(w)}: ${inline(w.message)}`), ''];
}

/** The last annotation: how many more; as before, never-judged functions are counted as such. */
function countRest(rest: readonly ReleaseWarning[], releaseId: string): { title: string; text: string } {
  if (rest.every((w) => w.neverJudged)) {
    return {
      title: WARNING_TITLE.analysis,
      text: `${rest.length} more functions of release ${releaseId} were never judged by the canary analysis (see the step summary)`,
    };
  }
  return {
    title: 'lshift warning',
    text: `${rest.length} more warnings of release ${releaseId} (see the step summary)`,
  };
}

/** The function's warning that its analysis never judged (set by the CLI, or derived as a deploy does). */
export function neverJudged(f: ReasonedResult): string | undefined {
  const said = f.warnings?.find((w) => w.includes('never judged'));
  if (said) return said;
  return f.status === 'promoted' ? describeNeverJudged(f.verdicts, f.toVersion) : undefined;
}

function titleOf(topic: WarningTopic | undefined): string {
  return topic ? WARNING_TITLE[topic] : 'lshift warning';
}

function target(f: ReasonedResult): string {
  return `${f.functionName}:${f.alias}`;
}

function nameTargets(targets: readonly string[]): string {
  if (targets.length <= NAMED_FUNCTIONS) return targets.join(', ');
  const named = targets.slice(0, NAMED_FUNCTIONS).join(', ');
  return `${named} and ${targets.length - NAMED_FUNCTIONS} more functions`;
}
