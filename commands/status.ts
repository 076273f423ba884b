import { Flags } from '@oclif/core';
import { resolveAnalysis } from '../src/cli/analysis-options.js';
import { mergeAwsTarget } from '../src/cli/aws-target.js';
import { BaseCommand } from '../src/cli/base-command.js';
import { guessCodeDeployGroup } from '../src/cli/codedeploy-engine.js';
import { loadConfig } from '../src/cli/config-file.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { aliasFlag, awsFlags, configFlag, REPEATABLE } from '../src/cli/flags.js';
import { FUNCTION_WORDS, functionArg, looksLikeFlag, uniqueFunctions } from '../src/cli/function-args.js';
import { endInterrupts } from '../src/cli/late-interrupt.js';
import { localProcesses } from '../src/cli/local-processes.js';
import { stdout } from '../src/cli/output.js';
import { describeOwner } from '../src/cli/owner.js';
import { guardReadOnly } from '../src/cli/read-only-interrupt.js';
import { aliasOf, nameOf, releaseFunctions } from '../src/cli/release-options.js';
import { renderEvidence, settingsMatchOf } from '../src/cli/renderers/evidence-text.js';
import {
  findReleasesOfferingWaysOut,
  renderReleaseStatus,
} from '../src/cli/renderers/status-release-text.js';
import { renderStatus } from '../src/cli/renderers/status-text.js';
import { createRuntime } from '../src/cli/runtime.js';
import { isInProgress } from '../src/cli/status-in-progress.js';
import {
  isSplitRecordUnread,
  isSplitWithoutRecord,
  needsOperator,
} from '../src/cli/status-needs-operator.js';
import { listReleaseReach } from '../src/cli/status-release-listing.js';
import { readEachSettled, renderUnreadable, splitStatusReads } from '../src/cli/status-unreadable.js';
import { watchStatus } from '../src/cli/status-watch.js';
import { assertExpandedAlarms } from '../src/domain/alarm-templates.js';
import { hasAnalysisGates } from '../src/domain/analysis/config.js';
import { assertAlarmNames } from '../src/domain/aws-names.js';
import { ExitCode, UsageError } from '../src/domain/errors.js';
import { parseBoundedDuration } from '../src/domain/limits.js';
import type { Verdict } from '../src/domain/verdict.js';
import { readAnalysisEvidence } from '../src/engine/analysis-evidence.js';
import { expandAlarms } from '../src/engine/check-classify.js';
import { checkOwner } from '../src/engine/owner-kinds.js';
import { type AliasStatus, getStatus } from '../src/engine/status.js';

export default class Status extends BaseCommand {
  static override summary =
    'Show an alias: version(s) and weights, alarm states, and the deployment in progress.';
  static override description =
    `Unreadable alarms are shown as UNKNOWN, never as OK. Exit 4 when the alias is split and nobody drives it: its deployment's rollback failed, or its runner is gone or left it paused and exited, or its run met a split someone made and left it, its record closed over it (a split of versions it does not place, its fix \`lshift rollback … --to <stable>\`; one an \`--engine codedeploy\` deployment was stopped without its rollback to keep, its fix \`lshift rollback\`) (\`--on-interrupt leave\`, a move by hand; an operator's \`lshift pause\` of a live runner is not that) (STALLED, as \`lshift check\` calls it, with the same ways out, which its line names: one its runner left mid-shift (gone, or paused and exited) is finished with \`lshift deploy … --resume\` or undone with \`lshift rollback\`; one whose run met a split of its own two versions while it shifted forward and left it is put back with \`lshift rollback\` (what the run offered), or its shift carried on from that weight with \`lshift deploy … --resume\`; one whose rollback stopped and whose alias someone has since moved past it is put back only with \`lshift rollback\` (neither \`lshift check\` nor \`deploy --resume\` writes over that move); a split met while lshift rolled it back, or of versions it does not place, is never resumed forward (\`deploy --resume\` refuses it): only \`lshift rollback\` puts it back; a runner gone with the alias all on its new version is STALLED too and exits 0 here, while \`lshift check\` exits 4 for it (docs/exit-codes.md says why), one with the alias all on its stable version is STALE: the next \`lshift check\` records it rolled back; a rollback whose runner stopped is STALE too, exit 4 here while the alias is split: the next \`lshift check\` finishes it, or \`lshift rollback\` now; a rollback that failed, leaving the alias split or all on its new version, is ROLLBACK FAILED (exit 4): nothing retries it, \`lshift rollback\` puts it back; under --json, \`record.stalled\` is true of every deployment the output calls STALLED, \`record.stale\` of STALE ones too); or a deployment is recorded promoted while its alias is still split, or its promote could not be confirmed, or AWS CodeDeploy no longer knows the deployment an unfinished \`--engine codedeploy\` record names or ended it leaving the alias split (STALLED: nobody drives it; the output says how to finish or undo it), or an \`--engine codedeploy\` deployment ended over a split another CodeDeploy deployment on its group drives while an alarm shown is in ALARM (STALLED, as \`lshift check\` calls it, with its fix: stop that deployment with its rollback, then \`lshift rollback\`), or a rolled-back \`--engine codedeploy\` record's own deployment started after its run had ended and is moving the alias unwatched (UNWATCHED; \`lshift rollback\` stops it), or the alias is split and its deployment record cannot be used (corrupt, not adding up; one that could not be read — a network error, no lambda:ListTags — is exit 1: a deployment may still be running it). With several functions, one that cannot be read (deleted, or its alias) is reported as MISSING beside the others (\`unreadable\` under --json) and the exit code is 1, unless another needs an operator (4); a release whose runner is gone is STALLED, as \`lshift check\` calls it (exit 4 there), with how to resume or roll it back (each of its functions' lines points there; \`status\` of one of them alone gives both), and exits 0 here unless an alias of it is split; a function of it back on its stable version whose alarm (given with --alarm or the config file) went to ALARM while its runner could still move traffic, none of its other functions shown owned or decided (a live runner, a rollback, promoted, paused), is GATE FAILED: the next \`lshift check\` rolls the whole release back, and only its rollback is offered; one a check, its runner or a person's \`lshift rollback --release\` rolled back in part and stopped is ROLLBACK STOPPED: \`lshift rollback --release r-…\` finishes it now (no alarm needed), as the next \`lshift check\` run with its alarms does. A deployment lshift rolled back itself says why (a health gate failed, a hook failed, an operator aborted it, health could not be read…), as its record keeps it (\`record.cause\` under --json); a record written by an older lshift, or one whose tag had no room left for it, says nothing of it.\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> status my-fn',
    '<%= config.bin %> status my-fn --alias live --alarm my-fn-errors --json',
    '<%= config.bin %> status orders billing mailer',
    '<%= config.bin %> status   # the config file’s `functions:`',
  ];
  // Several functions: the release view (which release each record belongs to), then each function.
  static override strict = false;
  static override args = {
    function: functionArg({
      description: `${FUNCTION_WORDS}; several: the release view; none: the config file’s \`functions:\``,
    }),
  };
  static override flags = {
    ...aliasFlag,
    alarm: Flags.string({
      description:
        'alarm to show (repeatable; default: the config file’s alarms); `{function}` and `{alias}` stand for each function and alias; `{{` and `}}` are a literal brace; any other `{` or `}` is refused (exit 2)',
      ...REPEATABLE,
    }),
    watch: Flags.boolean({
      description:
        'refresh until the deployment in progress ends (a paused one too, and one AWS CodeDeploy runs on after a `--detach` or without its follower), or its output is closed (`| head`); not with --json',
      exclusive: ['json'],
    }),
    interval: Flags.string({
      description: 'refresh period with --watch, at most 5m [default: 5s]',
      dependsOn: ['watch'],
    }),
    ...configFlag,
    ...awsFlags,
  };

  async run(): Promise<unknown> {
    // A signal stops it at once, saying nothing was changed (exit 130; read-only-interrupt.ts).
    const guard = guardReadOnly({ command: 'status', json: this.jsonEnabled() });
    try {
      return await this.readAndShow();
    } finally {
      // Once the result is out a signal changes nothing (late-interrupt.ts).
      endInterrupts(guard);
    }
  }

  private async readAndShow(): Promise<unknown> {
    const { argv, flags } = await this.parse(Status);
    const named = uniqueFunctions(argv as string[]);
    const flag = named.find((a) => looksLikeFlag(a));
    if (flag)
      throw new UsageError('USAGE', `Nonexistent flag: ${flag}`, { hint: 'See `lshift status --help`.' });
    const { config } = await loadConfig(flags.config);
    // None named: the config file's `functions:`, as `lshift check` and `rollback --release` read it.
    const names = named.length > 0 ? named : releaseFunctions([], config).map(nameOf);
    const first = names[0];
    if (first === undefined) {
      throw new UsageError('USAGE', 'Missing the function to show.', {
        hint: 'Name it (`lshift status my-fn`), several for the release view, or list `functions:` in the config file.',
      });
    }
    const intervalMs = parseBoundedDuration(flags.interval ?? '5s', 'watchInterval', '--interval') * 1000;
    // Read as deploy and check read them: a blank name is refused, `{function}`/`{alias}` filled in.
    // The config file's too (its `alarms: ['{nope}']` reached AWS: found by a hostile pass).
    const templates = flags.alarm ?? config.alarms ?? [];
    const where = flags.alarm ? '--alarm' : 'the config file’s `alarms`';
    assertAlarmNames(templates, where, { templates: true });
    // CloudWatch bounds the filled name, so each function's is checked before any AWS call.
    for (const fn of names) assertExpandedAlarms(templates, fn, aliasOf(fn, flags.alias, config), where);
    const alarmsOf = (functionName: string, alias: string) => expandAlarms(templates, functionName, alias);
    // Every spelling typed, not only the first of each function: an ARN of another region that
    // repeats a name is refused too (found by a hostile pass: dropped before the region check).
    const runtime = await createRuntime(mergeAwsTarget(flags, config), {
      functions: named.length > 0 ? (argv as string[]) : names,
    });
    // A record whose owner's pid no longer runs here is STALE when `lshift check` here would act on it.
    const here = { checkOwner: checkOwner(describeOwner()), processes: localProcesses };
    // A CodeDeploy record naming no deployment: its deployment is looked for on this group by its run token.
    const codeDeployGroupOf = (fn: string, alias: string) => guessCodeDeployGroup(fn, alias, config);
    if (names.length > 1) {
      if (flags.watch)
        throw new UsageError('CONFLICTING_FLAGS', '--watch shows one function.', {
          hint: 'Drop --watch, or name one function.',
        });
      const deps = {
        lambda: runtime.lambda,
        metrics: runtime.metrics,
        clock: runtime.clock,
        store: runtime.store,
        codedeploy: runtime.codedeploy,
        codeDeployGroupOf,
        ...here,
      };
      const targets = names.map((functionName) => ({
        functionName,
        alias: aliasOf(functionName, flags.alias, config),
      }));
      // One function deleted or unreadable still shows the others; a few read at a time
      // (status-unreadable.ts).
      const reads = await readEachSettled(targets, (t) =>
        getStatus(deps, {
          ...t,
          alarms: alarmsOf(t.functionName, t.alias),
          releaseMates: targets.filter((o) => o !== t),
        }),
      );
      const { read: statuses, unreadable } = splitStatusReads(targets, reads);
      // A release line offering ways out names every function of it, found by their records.
      const reaches = await listReleaseReach(runtime.lambda, statuses, findReleasesOfferingWaysOut(statuses));
      this.say(renderReleaseStatus(statuses, reaches));
      if (unreadable.length > 0) this.say(renderUnreadable(unreadable));
      // Exit 4 before 1: a split nobody drives matters more than a function that could not be read.
      if (statuses.some(needsOperator)) this.setExitCode(ExitCode.Unsafe);
      else if (unreadable.length > 0 || statuses.some(isSplitRecordUnread)) this.setExitCode(ExitCode.Failed);
      return unreadable.length > 0 ? { functions: statuses, unreadable } : { functions: statuses };
    }
    const read = () =>
      getStatus(
        {
          lambda: runtime.lambda,
          metrics: runtime.metrics,
          clock: runtime.clock,
          store: runtime.store,
          codedeploy: runtime.codedeploy,
          codeDeployGroupOf,
          ...here,
        },
        {
          functionName: first,
          alias: aliasOf(first, flags.alias, config),
          alarms: alarmsOf(first, aliasOf(first, flags.alias, config)),
        },
      );
    const analysis = resolveAnalysis({}, config);
    const readWithEvidence = async () => {
      const status = await read();
      // A deployment started with --no-analysis is judged by no comparison: none is shown as its.
      if (
        !status.record ||
        !isInProgress(status) ||
        !hasAnalysisGates(analysis) ||
        status.record.guards?.analysis === false
      )
        return { status, evidence: [] };
      const evidence = await readAnalysisEvidence(runtime.metrics, analysis, {
        functionName: first,
        alias: status.alias,
        record: status.record,
        now: runtime.clock.now(),
      });
      return { status, evidence };
    };
    const show = (r: { status: AliasStatus; evidence: Verdict[] }) =>
      [
        renderStatus(r.status),
        ...renderEvidence(r.evidence, analysis, settingsMatchOf(r.status.record?.guards?.judging, analysis)),
      ].join('\n');
    const current = await watchStatus({
      clock: runtime.clock,
      intervalMs,
      read: readWithEvidence,
      show: (view, at) =>
        this.say(at === undefined ? show(view) : `\n— ${new Date(at).toISOString()}\n${show(view)}`),
      goesOn: (view) => flags.watch && isInProgress(view.status),
      outputGone: () => stdout.broken,
    });
    if (needsOperator(current.status)) this.setExitCode(ExitCode.Unsafe);
    else if (isSplitRecordUnread(current.status)) this.setExitCode(ExitCode.Failed);
    if (isSplitWithoutRecord(current.status)) this.note(describeSplitWithoutRecord(current.status));
    if (isSplitRecordUnread(current.status)) this.note(describeSplitRecordUnread(current.status));
    return current.evidence.length > 0 ? { ...current.status, analysis: current.evidence } : current.status;
  }
}

function describeSplitWithoutRecord(status: AliasStatus): string {
  const target = `${status.functionName} --alias ${status.alias}`;
  // --to: a rollback without it refuses a record that does not add up (RECORD_INVALID).
  const fix = `lshift rollback ${target} --to ${status.functionVersion}`;
  // A newer lshift's record: that lshift may be running the shift now, and a rollback would undo
  // a live deployment (as `lshift check` words it, engine/check-corrupt.ts).
  if (status.recordNewer)
    return `Alias ${status.functionName}:${status.alias} is split and its deployment record was written by a newer lshift, which may still be running that deployment: this lshift cannot judge it. Run \`lshift status\` with that newer lshift (upgrade this one); only if no deployment is in progress, put all traffic on its primary version ${status.functionVersion} with \`${fix}\` (the record is left as it is).`;
  return `Alias ${status.functionName}:${status.alias} is split and its deployment record cannot be used: nothing will finish or undo this shift. Put all traffic on its primary version ${status.functionVersion} with \`${fix}\`.`;
}

/** Not "nothing drives it": a live runner may, and a rollback now would undo its deployment. */
function describeSplitRecordUnread(status: AliasStatus): string {
  return `Alias ${status.functionName}:${status.alias} is split and its deployment record could not be read: a deployment may be running it. Run \`lshift status ${status.functionName} --alias ${status.alias}\` again; if the record stays unreadable, check that these credentials may call lambda:ListTags on the function.`;
}
