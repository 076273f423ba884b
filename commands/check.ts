import { Flags } from '@oclif/core';
import { mergeAwsTarget } from '../src/cli/aws-target.js';
import { BaseCommand } from '../src/cli/base-command.js';
import { reportCheckInCi } from '../src/cli/check-ci-report.js';
import { abortWhileReading, CHECK_STOPS_NOW, type CheckReads } from '../src/cli/check-reads.js';
import { describeCheckFlagsToRepeat } from '../src/cli/check-rerun-flags.js';
import { guessCodeDeployGroup, trafficForRecord } from '../src/cli/codedeploy-engine.js';
import { watchCheck } from '../src/cli/command-watches.js';
import { loadConfig } from '../src/cli/config-file.js';
import {
  describeCheckAction,
  describeInterruptedCheck,
  EXIT_CODES_HELP,
  exitCodeForCheck,
} from '../src/cli/exit-codes.js';
import { awsFlags, configFlag, REPEATABLE } from '../src/cli/flags.js';
import { FUNCTION_WORDS, functionArg, uniqueFunctions } from '../src/cli/function-args.js';
import { ROLLBACK_SUSPEND_HINT } from '../src/cli/interrupt-notices.js';
import { guardInterrupts } from '../src/cli/interrupts.js';
import { endInterrupts } from '../src/cli/late-interrupt.js';
import { localProcesses } from '../src/cli/local-processes.js';
import { stderr } from '../src/cli/output.js';
import { describeCheckRunner } from '../src/cli/owner.js';
import { entryChecks, nameOf } from '../src/cli/release-options.js';
import { combineSinks, createPlainRenderer } from '../src/cli/renderers/line-renderers.js';
import { createRuntime } from '../src/cli/runtime.js';
import { exitOnSecondSignal } from '../src/cli/second-signal.js';
import { assertExpandedAlarms } from '../src/domain/alarm-templates.js';
import { assertAlarmNames } from '../src/domain/aws-names.js';
import type { DeploymentRecord } from '../src/domain/deployment-record.js';
import { functionKeyOf } from '../src/domain/function-ref.js';
import { parseBoundedDuration } from '../src/domain/limits.js';
import { checkStaleAfter } from '../src/domain/poll-interval.js';
import { checkSettingsOf, validateCheckRequest } from '../src/engine/check.js';
import { checkOwner } from '../src/engine/check-claim.js';
import { runCheckWithReleases } from '../src/engine/check-with-releases.js';

export default class Check extends BaseCommand {
  static override summary =
    'Scheduled rollback check: roll back recent or abandoned deployments whose alarms fire.';
  static override description =
    `For each alias with an lshift deployment that finished within --window, or that is unfinished with a dead owner, reads the alarms and rolls back to that deployment's stable version when any is in ALARM. A record that does not add up is reported as an error, never acted on. A deployment AWS CodeDeploy still runs (\`deploy --engine codedeploy --detach\`) is driven by CodeDeploy, not stalled: an alarm in ALARM stops it with auto-rollback; one that ended while nobody followed it has its record closed as \`lshift wait\` would. Without function names, checks every function in the account/region that carries an lshift record. A function the config file's \`functions:\` lists is checked on its entry's own alias and alarms; --alias and --alarm apply to every function. Run it from cron or a scheduled CI job (docs/ci.md).

Exit 0 when all are healthy, 3 when anything was rolled back, 4 when a rollback failed, when a function of a release was rolled back whose other functions could not be looked for, or a deployment is stalled (unfinished, its owner gone, alarms OK: left as it is, its alias possibly split; or recorded promoted over a split alias; or its record cannot be used — corrupt, a newer lshift's, not adding up — over a split alias: never acted on, the line names the \`--to\` rollback; or a rolled-back \`--engine codedeploy\` record's own deployment, started after its run had ended, moves the alias unwatched: the line names the \`lshift rollback\` that stops it), 1 when health or a record could not be read or used. SIGTERM or Ctrl-C stops it between functions (exit 130): the function being rolled back is finished, the others are left untouched; while it only reads, it stops at once. One that comes once the check has its result changes nothing: its exit code stays the report's.

${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> check orders-api --alarm orders-api-errors --window 1h',
    "<%= config.bin %> check --alarm '{function}-errors' --window 2h --json",
  ];
  static override strict = false;
  static override args = {
    functions: functionArg({
      description: `functions to check, each a ${FUNCTION_WORDS} (default: all with an lshift record)`,
    }),
  };
  static override flags = {
    alias: Flags.string({
      char: 'a',
      description:
        'alias to check on every function [default: a function’s own in the config file’s `functions:`, else the file’s alias, else live]',
    }),
    window: Flags.string({
      description: 'check deployments that finished within this long, at most 14d [default: 1h]',
    }),
    alarm: Flags.string({
      description:
        'alarm to judge by (repeatable; replaces the config file’s, an entry’s own too); `{function}` and `{alias}` stand for each checked function and alias; `{{` and `}}` are a literal brace; any other `{` or `}` is refused (exit 2)',
      ...REPEATABLE,
    }),
    'stale-after': Flags.string({
      description:
        'an unfinished deployment without a heartbeat for this long is abandoned; 2m to 14d [default: 2m]',
    }),
    ...configFlag,
    ...awsFlags,
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(Check);
    const { config } = await loadConfig(flags.config);
    const windowSeconds = parseBoundedDuration(flags.window ?? '1h', 'window', '--window');
    const staleAfterSeconds = parseBoundedDuration(
      flags['stale-after'] ?? '2m',
      'staleAfter',
      '--stale-after',
    );
    // Here with the text typed, so the error echoes it; validateCheckRequest checks it for the engine.
    checkStaleAfter(staleAfterSeconds, flags['stale-after']);
    const request = {
      functionNames: argv.length > 0 ? uniqueFunctions(argv as string[]) : undefined,
      alias: flags.alias ?? config.alias ?? 'live',
      windowSeconds,
      alarms: flags.alarm ?? config.alarms ?? [],
      staleAfterSeconds,
      own: entryChecks(config, flags),
      flagsToRepeat: describeCheckFlagsToRepeat(flags),
    };
    const where = flags.alarm ? '--alarm' : 'the config file’s `alarms`';
    assertAlarmNames(request.alarms, where, { templates: true });
    validateCheckRequest(request);
    // CloudWatch bounds the filled name: each named function's is checked before any AWS call
    // (a function found by its record is checked when found: check.ts).
    for (const fn of request.functionNames ?? []) {
      const { alias, alarms } = checkSettingsOf(request, fn);
      assertExpandedAlarms(
        alarms,
        fn,
        alias,
        alarms === request.alarms ? where : 'its config entry’s `alarms`',
      );
    }
    // A scheduler's SIGTERM (or Ctrl-C) stops the check between functions: the one being rolled
    // back is finished, record included, the others are left untouched; while the check only
    // reads, the calls in flight are abandoned, so it stops at once (check-reads.ts). A second
    // signal exits at once (exit 4: a rollback may be in flight).
    // Its notice says which: a signal that came before `reads` exists came before any read.
    let reads: CheckReads | undefined;
    const guard = guardInterrupts({
      say: (text) => stderr.write(text),
      stopping: () => reads?.stopping() ?? CHECK_STOPS_NOW,
      onSecond: (name) => exitOnSecondSignal(name, watchCheck(namedTargets(request)), this.jsonEnabled()),
      refuseSuspend: ROLLBACK_SUSPEND_HINT,
    });
    reads = abortWhileReading(guard.signal);
    try {
      const runtime = await createRuntime(
        mergeAwsTarget(flags, config),
        {
          // Every spelling typed: an ARN of another region that repeats a name is refused too.
          functions: argv.length > 0 ? (argv as string[]) : (config.functions ?? []).map(nameOf),
        },
        undefined,
        reads.signal,
      );
      // combineSinks: a display that fails is switched off, never the check's rollback stopped.
      const events = combineSinks(
        this.jsonEnabled() ? { emit: () => {} } : createPlainRenderer((t) => stderr.write(t)),
      );
      // Its claims on the records it rolls back name it, so two racing checks tell each other
      // apart: in GitHub Actions, its job attempt (owner.ts describeCheckRunner).
      const owner = checkOwner(describeCheckRunner());
      // A claim left by a check killed on this machine (its pid gone) is finished at once.
      // A CodeDeploy record that names no deployment is looked for in its group by its run token,
      // and a rollback of it looks there too: the config file's names, else the defaults.
      const codeDeployGroupOf = (fn: string, alias: string) => guessCodeDeployGroup(fn, alias, config);
      const deps = {
        ...runtime,
        lambda: reads.guard(runtime.lambda),
        store: reads.guard(runtime.store),
        metrics: reads.guard(runtime.metrics),
        codedeploy: reads.guard(runtime.codedeploy),
        reading: reads.reading,
        events,
        codeDeployGroupOf,
        trafficFor: (record?: DeploymentRecord, target?: { functionName: string; alias: string }) =>
          trafficForRecord(runtime, {
            ...(target ? { group: codeDeployGroupOf(target.functionName, target.alias) } : {}),
          })(record),
        owner,
        processes: localProcesses,
      };
      // One verdict after a release too: a function rolled back takes its release's others along
      // (runCheck, then checkReleases, which says the lines runCheck held back: check-with-releases.ts).
      const report = await runCheckWithReleases(deps, { ...request, signal: guard.signal });
      // Said where it looked: a typo in --alias (or the wrong region) found nothing at every run,
      // exit 0, in words that read as "all is well" (found by a hostile pass).
      if (report.results.length === 0)
        this.say(
          `No lshift deployments to check: no function in ${runtime.target} carries a deployment record for alias ${request.alias} (tag \`lshift:${request.alias}\`).`,
        );
      for (const r of report.results) {
        this.say(
          `${describeCheckAction(r).padEnd(15)} ${r.functionName}:${r.alias}${r.deploymentId ? ` (${r.deploymentId})` : ''} — ${r.reason}`,
        );
      }
      if (report.interrupted) stderr.write(`${describeInterruptedCheck(report)}\n`);
      const exitCode = exitCodeForCheck(report);
      // In GitHub Actions, on the run's page too, as a deploy's end is (check-ci-report.ts).
      reportCheckInCi(report, exitCode, { json: this.jsonEnabled() });
      this.setExitCode(exitCode);
      // Its result is said (oclif prints --json's from `report`, in this same turn): a read the
      // interrupted check abandoned on a stalled endpoint no longer holds the exit for 2 s.
      runtime.close();
      return report;
    } finally {
      // From here to the process's end a signal has nothing left to stop: held, not Node's
      // default action (exit 130) in the moments before the process is gone (late-interrupt.ts).
      endInterrupts(guard);
    }
  }
}

/** The functions named on the command line, each on its alias (an entry's own from the config file). */
function namedTargets(request: {
  functionNames?: string[];
  alias: string;
  own: Map<string, { alias?: string }>;
}): { functionName: string; alias: string }[] {
  return (request.functionNames ?? []).map((functionName) => ({
    functionName,
    alias: request.own.get(functionKeyOf(functionName))?.alias ?? request.alias,
  }));
}
