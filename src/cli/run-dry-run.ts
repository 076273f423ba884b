/**
 * The shell of `lshift deploy --dry-run`: what a deploy says and checks before its first write
 * (its warnings, then its read-only checks, with the request it would make), then its release
 * program, with no write call (no upload, publish, alias or tag write). What would be
 * published is described from the local zip (size, CodeSha256) or the code flags.
 */
import { planReleaseOf } from '../domain/release-program.js';
import { dryRunDeploy, type PendingPublish } from '../engine/dry-run.js';
import { checkCredentialLifetime } from '../engine/preflight-credentials.js';
import { checkHookSpecs } from '../hooks/check-hook-specs.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { MetricsPort } from '../ports/metrics.js';
import type { CodeChoice } from './code-choice.js';
import { codeSha256Of, readCodeSource } from './code-source.js';
import { checkCodeDeployGroup, planCodeDeployEngine, withoutLshiftHooks } from './codedeploy-engine.js';
import { type DeployInvocation, deployTargets } from './deploy-invocation.js';
import type { DeployOptions } from './deploy-options.js';
import { describePlanWarnings, describeWatch, longestRunOf, type SaidWarning } from './deploy-warnings.js';
import type { GroupAlarms } from './detach-warning.js';
import { describeAfterHandOver, programUntilHandOver } from './dry-run-detach.js';
import { hookSourcesOf } from './function-region.js';
import { describeOwner } from './owner.js';
import { createProgress, type OutputMode } from './progress.js';
import { pendingRequest } from './release-setup.js';
import type { DryRunOutput } from './renderers/dry-run-text.js';
import { combineSinks } from './renderers/line-renderers.js';
import { createRuntime } from './runtime.js';
import { collectSaidWarnings, uniqueWarnings } from './said-warnings.js';
import { startSandboxSession } from './sandbox-session.js';
import { describeIgnoredSettle } from './settle-warning.js';
import { holdUntilShift } from './shift-warnings.js';

export async function executeDryRun(inv: DeployInvocation): Promise<DryRunOutput> {
  // Under CodeDeploy what it cannot run is refused here too, and its AppSpec runs the hooks.
  const codeDeploy = planCodeDeployEngine(inv.functionName, inv.options);
  const options = codeDeploy ? withoutLshiftHooks(inv.options) : inv.options;
  await checkHookSpecs(hookSourcesOf(options), process.cwd());
  const publish = describePendingPublish(options.code);
  const sandbox = inv.sandbox
    ? await startSandboxSession({ functionName: inv.functionName, alias: options.alias, ...inv.sandbox })
    : undefined;
  const progress = createProgress(inv.output, inv.json, {
    publish: false,
    shift: false,
    preHooks: 0,
    bakeSeconds: 0,
    postHooks: 0,
  });
  try {
    const runtime = await createRuntime(inv.aws, deployTargets(inv), sandbox);
    // The real run refuses a missing group before any upload (a sandbox's is made by the run).
    const found =
      codeDeploy && !sandbox ? await checkCodeDeployGroup(runtime, codeDeploy, inv.functionName) : undefined;
    // The group's alarms watch it too (alone after a --detach hand-over), as the real run says.
    const group =
      codeDeploy && found
        ? {
            group: { ...codeDeploy, alarms: found.alarms, enabled: found.alarmsEnabled },
            detach: Boolean(inv.detach),
          }
        : undefined;
    // The checks' own warnings (an event source that bypasses the alias, …) are its answer too.
    const checksSaid = collectSaidWarnings();
    const checkEvents = combineSinks(checksSaid.sink, warningsAsAnswer(progress.sink, inv.output, inv.json));
    // The CLI's warnings about the shift are held as the real run holds them (shift-warnings.ts).
    const shiftSaid = collectSaidWarnings();
    const aboutShift = holdUntilShift(
      checkEvents,
      combineSinks(shiftSaid.sink, dryRunWarningEvents(progress.sink, inv.output, inv.json)),
    );
    const deps = {
      lambda: runtime.lambda,
      metrics: runtime.metrics,
      clock: runtime.clock,
      events: aboutShift.sink,
      store: runtime.store,
    };
    // The plan the deploy runs: its settle wait is --settle's, not the strategy's default; under
    // CodeDeploy it comes after CodeDeploy's 100%, as the engine runs it (shift-context.ts).
    const program = planReleaseOf(
      options.plan,
      {
        hooks: options.hooks,
        bakeSeconds: options.bakeSeconds,
        settleAfterPromote: codeDeploy !== undefined,
      },
      [{ functionName: inv.functionName, alias: options.alias }],
    );
    const handedOver = codeDeploy !== undefined && Boolean(inv.detach);
    const before = sandbox?.operationCounts() ?? {};
    // The request the deploy would make, so its checks (the record's size too) see the same.
    const member = { functionName: inv.functionName, options };
    const sandboxAlarms = sandbox ? { [inv.functionName]: sandbox.alarmName } : undefined;
    const pending = {
      ...pendingRequest(member, describeOwner(), new AbortController().signal, sandboxAlarms),
      warm: options.warm,
      ...(codeDeploy ? { engineHooks: inv.options.hooks } : {}),
    };
    aboutShift.hold(
      await describeShiftWarnings(deps, inv.functionName, options, pending.alarms, group, handedOver),
    );
    // The real run's refusal for credentials that would expire mid-shift (run-deploy.ts).
    const credentials = codeDeploy
      ? undefined
      : await checkCredentialLifetime(deps, { longest: longestRunOf([member]) });
    if (credentials) aboutShift.hold([{ message: credentials, about: 'credentials' }]);
    const code = options.code;
    const report = await dryRunDeploy(deps, {
      req: code.kind === 'version' ? { ...pending, targetVersion: code.version } : pending,
      source: code.kind === 'version' ? undefined : readCodeSource(code),
      publish,
      program,
      codeDeploy: codeDeploy !== undefined,
    });
    // A deploy that would do nothing says none of them, as the real run (nothing_to_deploy) does.
    if (!report.nothingToDeploy) aboutShift.release(deps.clock.now());
    const all = uniqueWarnings(shiftSaid.list(), checksSaid.list());
    const engine = codeDeploy
      ? {
          codeDeploy: {
            application: codeDeploy.application,
            group: codeDeploy.group,
            config: codeDeploy.config.name,
            ...(handedOver
              ? { afterHandOver: describeAfterHandOver(options.plan, inv.functionName, options.alias) }
              : {}),
          },
        }
      : {};
    const run = handedOver ? { ...report, program: programUntilHandOver(report.program) } : report;
    const said = all.length > 0 ? { ...run, ...engine, warnings: all } : { ...run, ...engine };
    return sandbox ? { ...said, sandboxRequests: countSince(before, sandbox.operationCounts()) } : said;
  } finally {
    await progress.finish();
    await sandbox?.stop();
  }
}

/**
 * Where a dry run says its warnings as progress. They are its answer, so the summary (the text,
 * or the --json object) carries them; as progress lines too they showed twice at a terminal and
 * in CI. Only a bare event stream (--progress ndjson without --json) prints no summary: there the
 * `log` events are the one place they appear, as in the real run's stream.
 */
export function dryRunWarningEvents(events: EventSink, output: OutputMode, json: boolean): EventSink {
  return output === 'ndjson' && !json ? events : { emit() {} };
}

/** The checks' events as progress, but their warnings where the CLI's go (dryRunWarningEvents). */
function warningsAsAnswer(events: EventSink, output: OutputMode, json: boolean): EventSink {
  const warnings = dryRunWarningEvents(events, output, json);
  return { emit: (e) => (e.type === 'log' && e.level === 'warn' ? warnings : events).emit(e) };
}

/**
 * What the deploy would say about its shift before its first write. Said as the real run says it:
 * at the checks' first refusal or warning, or once they pass with weights to move.
 */
async function describeShiftWarnings(
  deps: { metrics: MetricsPort; clock: Clock },
  functionName: string,
  options: DeployOptions,
  alarms: readonly string[],
  codeDeploy?: { group: GroupAlarms; detach: boolean },
  handedOver = false,
): Promise<SaidWarning[]> {
  const unwatched = describeWatch(functionName, alarms, options, codeDeploy);
  const settleIgnored = describeIgnoredSettle(options.settleIgnored);
  return [
    ...(unwatched ? [{ message: unwatched, about: 'health' as const }] : []),
    ...(settleIgnored ? [{ message: settleIgnored, about: 'analysis' as const }] : []),
    ...(await describePlanWarnings(deps, functionName, options, handedOver)),
  ];
}

export function countSince(
  before: Record<string, number>,
  now: Record<string, number>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(now)
      .map(([op, n]): [string, number] => [op, n - (before[op] ?? 0)])
      .filter(([, n]) => n > 0),
  );
}

export function describePendingPublish(code: CodeChoice): PendingPublish | undefined {
  if (code.kind === 'version') return undefined;
  const source = readCodeSource(code);
  if (!source) return { kind: 'latest' };
  if (source.kind === 'zip') {
    const codeSha256 = source.codeSha256 ?? codeSha256Of(source.zipFile);
    return { kind: 'zip', fileName: source.fileName, bytes: source.zipFile.length, codeSha256 };
  }
  return source;
}
