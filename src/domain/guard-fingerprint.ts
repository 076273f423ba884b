/**
 * The guards of a deployment — the alarms it watches, its hooks, its bake, whether the canary
 * analysis compares the new version with the stable one — as a compact fingerprint the record
 * keeps (`gd=`, deployment-record.ts). `deploy --resume` compares it with its own options, so a
 * resume copy-pasted without the first run's flags cannot quietly finish a shift unwatched
 * (src/engine/resume-guards.ts). Pure: the hash is fnv1a.ts's.
 *
 * The counts say in words what differs; the hash catches what counts cannot (another alarm
 * name, another hook). Hooks are hashed as shown (formatHookSpec: URLs without their query
 * values or userinfo, commands with what looks secret masked), so a rotated token in a hook URL
 * or command is not a different guard, and no secret goes into the hash; timeouts are not guards.
 */

import type { AnalysisConfig } from './analysis/config.js';
import { formatDurationCompact } from './duration.js';
import { shortHash } from './fnv1a.js';
import { formatHookSpec, type HookPhase, type HookSpec } from './hook-spec.js';
import {
  describeJudging,
  describeJudgingDifference,
  fingerprintJudging,
  type JudgingFingerprint,
  judgingFlagsToRepeat,
  sameJudging,
} from './judging-fingerprint.js';

export type GuardHooks = Partial<Record<HookPhase, readonly HookSpec[]>>;

/** A deployment's guards as its options give them. */
export interface GuardSet {
  alarms: readonly string[];
  /** Every hook set the deployment runs: the function's own, and a release's shared ones. */
  hooks: readonly (GuardHooks | undefined)[];
  bakeSeconds: number;
  /** The canary analysis compares the new version with the stable one (off: `--no-analysis`). */
  analysis: boolean;
  /** The absolute gates and the analysis settings (judging-fingerprint.ts; the record's `jd=`). */
  judging?: AnalysisConfig;
}

export interface GuardFingerprint {
  alarms: number;
  hooks: Record<HookPhase, number>;
  bakeSeconds: number;
  analysis: boolean;
  /** 7 base-36 characters: the top 36 bits of the canonical form's FNV-1a 64-bit hash. */
  hash: string;
  /** How it judges health besides alarms (`jd=`); absent in a record of an older lshift. */
  judging?: JudgingFingerprint;
}

const PHASES: readonly HookPhase[] = ['pre', 'step', 'post', 'rollback'];
const LETTER: Record<HookPhase, string> = { pre: 'p', step: 's', post: 'o', rollback: 'r' };
const HOOK_WORDS: Record<HookPhase, string> = {
  pre: 'pre-traffic hook',
  step: 'step hook',
  post: 'post-traffic hook',
  rollback: 'rollback hook',
};

export function fingerprintGuards(set: GuardSet): GuardFingerprint {
  const alarms = [...new Set(set.alarms)].sort();
  const hooks = Object.fromEntries(
    PHASES.map((phase) => [
      phase,
      set.hooks
        .flatMap((h) => h?.[phase] ?? [])
        .map(formatHookSpec)
        .sort(),
    ]),
  ) as Record<HookPhase, string[]>;
  const bakeSeconds = Math.max(0, Math.round(set.bakeSeconds));
  const canonical = JSON.stringify({ alarms, hooks, bakeSeconds, analysis: set.analysis });
  return {
    alarms: alarms.length,
    hooks: Object.fromEntries(PHASES.map((p) => [p, hooks[p].length])) as Record<HookPhase, number>,
    bakeSeconds,
    analysis: set.analysis,
    hash: shortHash(canonical),
    ...(set.judging ? { judging: fingerprintJudging(set.judging) } : {}),
  };
}

/** `2.p1o1.600.1.k3j9x2a`: alarms, hooks by phase (`-` for none), bake seconds, analysis, hash. */
export function encodeGuards(fp: GuardFingerprint): string {
  const hooks = PHASES.filter((p) => fp.hooks[p] > 0)
    .map((p) => `${LETTER[p]}${fp.hooks[p]}`)
    .join('');
  return [fp.alarms, hooks || '-', fp.bakeSeconds, fp.analysis ? 1 : 0, fp.hash].join('.');
}

const ENCODED =
  /^(\d{1,4})\.(-|(?:p\d{1,3})?(?:s\d{1,3})?(?:o\d{1,3})?(?:r\d{1,3})?)\.(\d{1,7})\.([01])\.([0-9a-z]{7})$/;

/** The fingerprint of a `gd=` value, or undefined when it is not one (a hand-edited tag). */
export function decodeGuards(text: string): GuardFingerprint | undefined {
  const match = ENCODED.exec(text);
  if (!match || match[2] === '') return undefined;
  const [, alarms, hookText, bake, analysis, hash] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const hooks = { pre: 0, step: 0, post: 0, rollback: 0 };
  for (const phase of PHASES) {
    const count = new RegExp(`${LETTER[phase]}(\\d+)`).exec(hookText)?.[1];
    if (count === undefined) continue;
    if (Number(count) === 0) return undefined;
    hooks[phase] = Number(count);
  }
  return { alarms: Number(alarms), hooks, bakeSeconds: Number(bake), analysis: analysis === '1', hash };
}

/** The same guards; judging is compared only when both sides know it (an older record does not). */
export function sameGuards(a: GuardFingerprint, b: GuardFingerprint): boolean {
  return encodeGuards(a) === encodeGuards(b) && judgingAgrees(a, b);
}

function judgingAgrees(a: GuardFingerprint, b: GuardFingerprint): boolean {
  return !a.judging || !b.judging || sameJudging(a.judging, b.judging);
}

type Tense = 'past' | 'present';

const VERBS: Record<Tense, { watch: string; run: string; bake: string; noBake: string; have: string }> = {
  past: { watch: 'watched', run: 'ran', bake: 'baked', noBake: 'did not bake', have: 'had' },
  present: { watch: 'watches', run: 'runs', bake: 'bakes', noBake: 'does not bake', have: 'has' },
};

/**
 * `watched 2 alarms, ran a pre-traffic hook and baked 10m`; the analysis is named when asked
 * (`withAnalysis`: the two sides of a comparison differ in it); on is the default nobody passes.
 */
export function describeGuards(fp: GuardFingerprint, tense: Tense, withAnalysis = !fp.analysis): string {
  const v = VERBS[tense];
  const parts = [
    `${v.watch} ${countOf(fp.alarms, 'alarm')}`,
    `${v.run} ${describeHooks(fp) ?? 'no hook'}`,
    fp.bakeSeconds > 0 ? `${v.bake} ${formatDurationCompact(fp.bakeSeconds)}` : v.noBake,
    ...(withAnalysis ? [`${v.have} the canary analysis ${fp.analysis ? 'on' : 'off'}`] : []),
    ...(fp.judging ? [describeJudging(fp.judging, tense)].filter((w) => w !== undefined) : []),
  ];
  return joinWords(parts);
}

/**
 * `the first run watched 2 alarms, …; this resume watches 0 alarms, …`, and when every count
 * agrees, that the names or specs differ.
 */
export function describeGuardDifference(first: GuardFingerprint, now: GuardFingerprint): string {
  if (encodeGuards(first) === encodeGuards(now) && first.judging && now.judging)
    return describeJudgingDifference(first.judging, now.judging);
  const withAnalysis = first.analysis !== now.analysis;
  const was = describeGuards(first, 'past', withAnalysis);
  if (!sameCounts(first, now))
    return `the first run ${was}; this resume ${describeGuards(now, 'present', withAnalysis)}`;
  return `the first run ${was}, and so does this resume, but not with the same alarm names or hook specs (fingerprints ${first.hash} and ${now.hash})`;
}

/** Everything but the hash agrees: the difference is in a name or a spec. */
function sameCounts(a: GuardFingerprint, b: GuardFingerprint): boolean {
  return encodeGuards({ ...a, hash: '' }) === encodeGuards({ ...b, hash: '' });
}

/**
 * What a resume hint adds to its command: `it watched 2 alarms and ran a post-traffic hook`;
 * undefined when the first run had nothing to pass again (no alarm, hook or bake, analysis on).
 */
export function describeGuardsToRepeat(fp: GuardFingerprint): string | undefined {
  const parts = guardsToRepeat(fp);
  return parts.length === 0 ? undefined : `it ${joinWords(parts)}`;
}

function guardsToRepeat(fp: GuardFingerprint): string[] {
  return [
    ...(fp.alarms > 0 ? [`watched ${countOf(fp.alarms, 'alarm')}`] : []),
    ...(describeHooks(fp) ? [`ran ${describeHooks(fp)}`] : []),
    ...(fp.bakeSeconds > 0 ? [`baked ${formatDurationCompact(fp.bakeSeconds)}`] : []),
    ...(fp.analysis ? [] : ['had the canary analysis off']),
    ...(fp.judging ? [describeJudging(fp.judging, 'past')].filter((w) => w !== undefined) : []),
  ];
}

/**
 * What a resume hint says after its command, so a copy-pasted resume does not come back refused
 * (or, from an older record, unwatched): ` plus the first run's --alarm and --bake flags (it
 * watched 1 alarm and baked 5m)`. Empty when the first run had nothing to pass again.
 */
export function describeResumeFlags(fp: GuardFingerprint | undefined): string {
  if (!fp)
    return " plus the first run's --alarm, hook and --bake flags, if it had any (its record does not keep them)";
  const repeat = describeGuardsToRepeat(fp);
  if (!repeat) return '';
  const flags = [
    ...(fp.alarms > 0 ? ['--alarm'] : []),
    ...(describeHooks(fp) ? ['hook'] : []),
    ...(fp.bakeSeconds > 0 ? ['--bake'] : []),
    ...(fp.analysis ? [] : ['--no-analysis']),
    ...(fp.judging ? judgingFlagsToRepeat(fp.judging) : []),
  ];
  return ` plus the first run's ${joinWords(flags)} flag${flags.length === 1 ? '' : 's'} (${repeat})`;
}

/** A function of a release resumed with it, and the guards its record keeps (none: an older lshift's). */
export interface MemberGuards {
  functionName: string;
  guards: GuardFingerprint | undefined;
}

/**
 * What the resume of a lockstep release says after its command: one set of flags when every
 * function needs the same (describeResumeFlags); else the first run's flags and config file, with
 * what each function's first run had. It named only the stalled function's guards, so a resume
 * copied from it came back refused for another function's hook or `--no-analysis` (found by a
 * docs pass, session 59).
 */
export function describeReleaseResumeFlags(members: readonly MemberGuards[]): string {
  const each = members.map((m) => describeResumeFlags(m.guards));
  if (each.every((text) => text === each[0])) return each[0] ?? '';
  const had = members.flatMap((m) => {
    if (!m.guards) return [`${m.functionName}'s record does not keep them`];
    const parts = guardsToRepeat(m.guards);
    return parts.length === 0 ? [] : [`${m.functionName} ${joinWords(parts)}`];
  });
  return ` plus the first run's flags and config file, not the same for every function (${had.join('; ')})`;
}

function describeHooks(fp: GuardFingerprint): string | undefined {
  const kinds = PHASES.filter((p) => fp.hooks[p] > 0).map((p) =>
    fp.hooks[p] === 1 ? `a ${HOOK_WORDS[p]}` : `${fp.hooks[p]} ${HOOK_WORDS[p]}s`,
  );
  return kinds.length === 0 ? undefined : joinWords(kinds);
}

function countOf(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function joinWords(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
