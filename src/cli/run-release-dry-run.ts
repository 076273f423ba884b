/**
 * The shell of `lshift deploy fnA fnB … --dry-run` (issue 13): every read-only check the release
 * makes before its first write, for every function (src/engine/release-dry-run.ts), then the
 * release program — and no write. With --sandbox, the sandbox's own count of the requests it
 * received says so (reads only).
 */
import { createReleaseId } from '../domain/deployment-record.js';
import { checkCredentialLifetime } from '../engine/preflight-credentials.js';
import { dryRunRelease, type ReleaseDryRunReport } from '../engine/release-dry-run.js';
import { settleNow, unlessRefused } from '../engine/release-refusals.js';
import { readCodeSource } from './code-source.js';
import { longestRunOf } from './deploy-warnings.js';
import { describeOwner } from './owner.js';
import { createReleaseProgress } from './release-progress.js';
import {
  checkReleaseHooks,
  pendingRequest,
  type ReleaseInvocation,
  releaseTargets,
  startReleaseSandbox,
} from './release-setup.js';
import { warnBeforeRelease } from './release-warnings.js';
import { describePublishLine, describeSandboxRequests } from './renderers/dry-run-text.js';
import { renderProgram, serializeProgram } from './renderers/program-text.js';
import { countSince, describePendingPublish, dryRunWarningEvents } from './run-dry-run.js';
import { createRuntime } from './runtime.js';

export type ReleaseDryRunOutput = ReleaseDryRunReport & {
  mode: 'lockstep' | 'stagger';
  /** What the release would warn about before its first write. */
  warnings?: string[];
  sandboxRequests?: Record<string, number>;
};

export async function executeReleaseDryRun(inv: ReleaseInvocation): Promise<ReleaseDryRunOutput> {
  await checkReleaseHooks(inv);
  // Read (and describe) every package before any AWS call: a missing zip is a usage error.
  // Every function's package, so one run names every missing zip (the first sets the code).
  const publishes = unlessRefused(
    inv.members.map((m) => settleNow(() => describePendingPublish(m.options.code))),
    inv.members,
  );
  const sandbox = await startReleaseSandbox(inv);
  // Plain lines at a terminal too: the table has no place for a refused check, and a dry run
  // should show every function's refusal, not only the one that sets the exit code.
  const progress = createReleaseProgress(inv.output === 'auto' ? 'plain' : inv.output, inv.json, inv.members);
  try {
    const runtime = await createRuntime(inv.aws, releaseTargets(inv), sandbox);
    const owner = describeOwner();
    const signal = new AbortController().signal;
    const members = inv.members.map((m, i) => {
      const code = m.options.code;
      const req = pendingRequest(m, owner, signal, sandbox?.alarmNames, inv.releaseHooks);
      if (code.kind === 'version') return { req: { ...req, targetVersion: code.version } };
      return { req, source: readCodeSource(code), publish: publishes[i] };
    });
    const before = sandbox?.operationCounts() ?? {};
    const warned = inv.members.map((m, i) => ({
      ...m,
      alarms: members[i]!.req.alarms,
      releaseHooks: inv.releaseHooks,
    }));
    const { lines: warnings } = await warnBeforeRelease(
      { ...runtime, events: dryRunWarningEvents(progress.sink, inv.output, inv.json) },
      warned,
    );
    const credentials = await checkCredentialLifetime(
      { ...runtime, events: progress.sink },
      { longest: longestRunOf(inv.members, { hooks: inv.releaseHooks, stagger: inv.stagger }) },
    );
    if (credentials) warnings.push(credentials);
    const dry = await dryRunRelease(
      {
        lambda: runtime.lambda,
        metrics: runtime.metrics,
        clock: runtime.clock,
        events: progress.sink,
        store: runtime.store,
      },
      { releaseId: createReleaseId(Math.random), members, hooks: inv.releaseHooks, stagger: inv.stagger },
    );
    const mode = inv.stagger ? 'stagger' : 'lockstep';
    // A release that would do nothing shifts nothing its warnings about the shift could be about.
    const idle = dry.functions.every((f) => f.nothingToDeploy);
    const report = warnings.length > 0 && !idle ? { ...dry, warnings } : dry;
    return sandbox
      ? { ...report, mode, sandboxRequests: countSince(before, sandbox.operationCounts()) }
      : { ...report, mode };
  } finally {
    await progress.finish();
    await sandbox?.stop();
  }
}

export function renderReleaseDryRun(report: ReleaseDryRunOutput): string {
  const n = report.functions.length;
  const idle = report.functions.filter((f) => f.nothingToDeploy);
  const width = Math.max(8, ...report.functions.map((f) => `${f.functionName}:${f.alias}`.length));
  const rows = report.functions.map((f) => {
    const where = `${f.functionName}:${f.alias}`.padEnd(width);
    const what = f.nothingToDeploy
      ? `already on version ${f.targetVersion}: nothing to deploy`
      : lowerFirst((describePublishLine(f) ?? '').trim());
    return `  ${where}  stable ${f.stableVersion}; ${what}`;
  });
  return [
    `✔ Dry run of a release of ${n} functions (${report.mode}): every read-only check passed for each; nothing was written.`,
    ...rows,
    idle.length === n
      ? '  Every function is already on its target version: the release would do nothing.'
      : undefined,
    ...(report.warnings ?? []).map((w) => `  Warning: ${w}`),
    describeSandboxRequests(report),
    // Nothing would run: a program of weights would contradict "the release would do nothing".
    ...(idle.length === n ? [] : ['', renderProgram(report.program)]),
  ]
    .filter((line) => line !== undefined)
    .join('\n');
}

export function serializeReleaseDryRun(report: ReleaseDryRunOutput): Record<string, unknown> {
  // The release id was only drawn to size the records; no release of that id exists.
  const { program, releaseId: _drawn, ...rest } = report;
  return { status: 'dry_run', ...rest, program: serializeProgram(program), strategy: program.strategy.name };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
