import { Flags } from '@oclif/core';
import type { AliasWatch } from '../src/cli/alias-watch.js';
import { type AwsTargetFlags, mergeAwsTarget } from '../src/cli/aws-target.js';
import { BaseCommand } from '../src/cli/base-command.js';
import { guessCodeDeployGroup, trafficForRecord } from '../src/cli/codedeploy-engine.js';
import { watchRollback } from '../src/cli/command-watches.js';
import { loadConfig } from '../src/cli/config-file.js';
import { withReason } from '../src/cli/describe-outcome.js';
import { describeClaimedRollback } from '../src/cli/describe-rollback.js';
import { EXIT_CODES_HELP, exitCodeForRollback } from '../src/cli/exit-codes.js';
import { aliasFlag, awsFlags, configFlag } from '../src/cli/flags.js';
import { functionOrReleaseArg, looksLikeFlag } from '../src/cli/function-args.js';
import { ROLLBACK_SUSPEND_HINT } from '../src/cli/interrupt-notices.js';
import { abortUntilWrite, abortWhileListing, guardInterrupts } from '../src/cli/interrupts.js';
import { endInterrupts } from '../src/cli/late-interrupt.js';
import { localProcesses } from '../src/cli/local-processes.js';
import type { LshiftConfig } from '../src/cli/option-schema.js';
import { describeOwner } from '../src/cli/owner.js';
import { aliasOf, nameOf, releaseFunctions } from '../src/cli/release-options.js';
import { combineSinks } from '../src/cli/renderers/line-renderers.js';
import {
  MAX_ROLLBACK_REASON_LENGTH,
  refuseBadTargetVersion,
  refuseLongReason,
} from '../src/cli/rollback-flags.js';
import {
  describeReleaseRollbackLines,
  findMembersOrRefuse,
  listingWatch,
  refuseReleaseFlags,
} from '../src/cli/rollback-release.js';
import { createRuntime } from '../src/cli/runtime.js';
import { exitOnSecondSignal } from '../src/cli/second-signal.js';
import { commandTargetOf, targetErrors, targetRelease, targetResult } from '../src/cli/targeted-result.js';
import { type CommandTarget, withTargetFlags } from '../src/domain/command-target.js';
import { UsageError } from '../src/domain/errors.js';
import { refuseControlCharacters } from '../src/domain/limits.js';
import type { ReleaseTarget } from '../src/domain/release-program.js';
import { buildRollbackCommand } from '../src/engine/deploy-result.js';
import { rollbackOwner } from '../src/engine/owner-kinds.js';
import { rollbackReleaseClaimed } from '../src/engine/release-rollback-claim.js';
import { LISTING_NOTICE } from '../src/engine/release-rollback-open.js';
import { ROLLBACK_WAIT_PREFIX, rollbackClaimed } from '../src/engine/rollback-claim.js';

export default class Rollback extends BaseCommand {
  static override summary = 'Put all traffic back on the stable version of an alias (or on --to).';
  static override description =
    `All traffic goes back to the stable version of the deployment on the alias: the recorded stable version of an unfinished or promoted deployment; of a split alias the record does not place, its primary version (the record's stable version when the primary is the record's new version). A deployment that ended whose alias was split since over a version that is neither of its own is refused unless its primary is its stable version (NOTHING_TO_ROLL_BACK, naming both ways: drop the split, or undo the deployment too). A deployment that was already rolled back, to its stable version or with --to, is left alone (exit 0, "already rolled back"), so running it twice never goes further back than once — unless --to put all its traffic on its own new version, which is then undone once, to its stable version, as a promoted one is (an unfinished or rolled-back deployment sent --to its own new version is closed promoted, moved by hand, as \`lshift alias\` closes it, and \`lshift check\` watches it); pass --to for another version (a promoted deployment is then closed \`rolled back to version N: after it was promoted\`, by you). A deployment record that does not add up is refused (RECORD_INVALID) unless --to is given. An unfinished deployment whose alias someone moved by hand to a version it does not know is refused (NOTHING_TO_ROLL_BACK, naming \`--to <its stable version>\` and, unless its stable version is the alias's primary one, \`lshift alias\` to its primary version as the ways out); with --to it is closed there. A promoted deployment whose stable version was deleted since is refused before anything is written (VERSION_NOT_FOUND, exit 2, naming --to and the earlier stable versions). The write carries the alias RevisionId (exit 5 if someone else changed it).\n\nIt first claims the deployment record, as \`lshift check\` does (a 3-second wait), so a scheduled check and a person — or two people — never roll one function back together: a function a check or another person's rollback is already rolling back is left to it and waited for (at most 60 s) — rolled back by them, exit 0; let go without being rolled back (their rollback failed), rolled back by this command; not finished, exit 4 (run it again). Ctrl-C (SIGTERM, SIGHUP, SIGQUIT) before its alias write stops it and gives the claim back (INTERRUPTED, exit 1); once the write started it finishes. A write that fails for a reason that may pass (a throttle, no answer, AWS failing inside) is tried again for up to 5 minutes, each failure said; a second Ctrl-C exits at once: exit 4 once its alias write was sent (the lines say where the alias can be), exit 1 before it (nothing was rolled back).\n\nA rollback that put all traffic back exits 0 with status rolled_back: it did what was asked (a deploy that rolled back exits 3, because the deploy failed; docs/exit-codes.md).\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> rollback my-fn',
    '<%= config.bin %> rollback my-fn --alias live --to 6',
    '<%= config.bin %> rollback --release r-k3j9x2 orders billing mailer',
    '<%= config.bin %> rollback --release r-k3j9x2',
  ];
  // `--release <id> fnA fnB …` names several functions.
  static override strict = false;
  static override args = { function: functionOrReleaseArg() };
  static override flags = {
    ...aliasFlag,
    release: Flags.string({
      description:
        'roll back every function whose deployment record names this release (r-…), each to its stable version; with no function named (and no config file listing them), the records in reach name them (lambda:ListFunctions)',
    }),
    to: Flags.string({ description: 'published version to put all traffic on' }),
    reason: Flags.string({
      description: `why (in the result: the text output and \`--json\`; one line of plain text, 1 to ${MAX_ROLLBACK_REASON_LENGTH} characters)`,
      default: 'manual rollback',
    }),
    ...configFlag,
    ...awsFlags,
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(Rollback);
    const names = argv as string[];
    const flag = names.find((a) => looksLikeFlag(a));
    if (flag)
      throw new UsageError('USAGE', `Nonexistent flag: ${flag}`, { hint: 'See `lshift rollback --help`.' });
    refuseLongReason(flags.reason);
    refuseControlCharacters('--reason', flags.reason);
    refuseBadTargetVersion(flags.to);
    const { config } = await loadConfig(flags.config);
    if (flags.release !== undefined) return this.rollbackRelease(flags.release, names, flags, config);
    if (names.length !== 1) {
      throw new UsageError('USAGE', `lshift rollback takes one function (got ${names.length}).`, {
        hint: 'Name one function, or roll a release back with `lshift rollback --release <id> <functions…>`.',
      });
    }
    const functionName = names[0]!;
    const alias = aliasOf(functionName, flags.alias, config);
    const target = commandTargetOf(mergeAwsTarget(flags, config));
    const watch = watchRollback({
      targets: [{ functionName, alias }],
      command: withTargetFlags(buildRollbackCommand(functionName, alias, flags.to), target),
    });
    const guard = this.guardRollback(watch);
    try {
      // Ctrl-C abandons a call in flight before the alias write (a claim write that hangs), not
      // the write itself (found by a hostile pass: SIGTERM waited out three 10-s attempts).
      const calls = abortUntilWrite(guard.signal);
      const runtime = await createRuntime(
        mergeAwsTarget(flags, config),
        { functions: [functionName] },
        undefined,
        calls.signal,
      );
      return await this.rollbackOne(
        runtime,
        functionName,
        alias,
        { ...flags, target },
        config,
        guard.signal,
        calls.writing,
        watch,
      );
    } finally {
      // From here to the process's end a signal has nothing left to stop: held, not Node's
      // default action (exit 130) in the moments before the process is gone (late-interrupt.ts).
      endInterrupts(guard);
    }
  }

  /**
   * Ctrl-C/SIGTERM/SIGHUP: before the alias write the rollback stops (INTERRUPTED, exit 1) and
   * gives its claim back, so nobody waits for it to go stale; once the write started it finishes.
   * A second signal exits at once (exit 4: the write may be in flight).
   */
  private guardRollback(watch: AliasWatch | (() => AliasWatch)) {
    return guardInterrupts({
      say: (text) => this.note(text.trim()),
      stopping: ROLLBACK_STOPPING,
      onSecond: (name) =>
        exitOnSecondSignal(name, typeof watch === 'function' ? watch() : watch, this.jsonEnabled()),
      refuseSuspend: ROLLBACK_SUSPEND_HINT,
    });
  }

  private async rollbackOne(
    runtime: Awaited<ReturnType<typeof createRuntime>>,
    functionName: string,
    alias: string,
    flags: { to?: string; reason: string; target: CommandTarget },
    config: LshiftConfig,
    signal: AbortSignal,
    writing: () => void,
    watch: AliasWatch,
  ): Promise<unknown> {
    // Claims the record first, as a scheduled check does, so the two never roll it back together.
    const claimed = await rollbackClaimed(
      {
        lambda: runtime.lambda,
        clock: runtime.clock,
        store: runtime.store,
        traffic: runtime.traffic,
        // A CodeDeploy record without a deployment id: its group is checked all the same.
        trafficFor: trafficForRecord(runtime, { group: guessCodeDeployGroup(functionName, alias, config) }),
        // The summary says what happened to the alias; a warning (e.g. a temporary provisioned
        // concurrency of `deploy --warm` that could not be removed, and the command that does)
        // and the warm clean-up itself are worth a line of their own on stderr.
        // The second signal's lines say where the alias can be from its rollback's events.
        events: combineSinks(watch.sink, {
          emit: (event) => {
            if (event.type === 'rollback.started') {
              writing();
              // A hung alias write left a terminal blank for as long as it hung (found by a
              // hostile pass, session 61); a log or a pipeline reads the result line.
              if (process.stderr.isTTY)
                this.note(
                  `rollback: putting all traffic of ${functionName}:${alias} back on version ${event.toVersion}…`,
                );
            }
            if (event.type !== 'log') return;
            const own = event.message.startsWith('warm: ') || event.message.startsWith(ROLLBACK_WAIT_PREFIX);
            if (event.level === 'warn' || own)
              this.note(event.level === 'warn' ? `Warning: ${event.message}` : event.message);
          },
        }),
        owner: rollbackOwner(describeOwner()),
        processes: localProcesses,
      },
      {
        functionName,
        alias,
        to: flags.to,
        reason: flags.reason,
        signal,
      },
    );
    const result = withReason(targetResult(claimed, flags.target));
    // Another actor (a scheduled check, another person's rollback) held the function's claim: its doing, in its name.
    this.sayProse(describeClaimedRollback(result));
    const exitCode = exitCodeForRollback(result.status);
    this.setExitCode(exitCode);
    return { ...result, exitCode };
  }

  private async rollbackRelease(
    releaseId: string,
    names: string[],
    flags: { alias?: string; reason: string; to?: string } & AwsTargetFlags,
    config: LshiftConfig,
  ): Promise<unknown> {
    refuseReleaseFlags(releaseId, flags.to);
    const entries = releaseFunctions(names, config);
    const alias = flags.alias ?? config.alias ?? 'live';
    const named = entries.map((e) => ({
      functionName: nameOf(e),
      alias: flags.alias ?? (typeof e === 'string' ? undefined : e.alias) ?? alias,
    }));
    // None named: the same command finds them again.
    const target = commandTargetOf(mergeAwsTarget(flags, config));
    const command = (targets: readonly ReleaseTarget[]) =>
      withTargetFlags(
        `lshift rollback --release ${releaseId}${named.length > 0 ? ` ${targets.map((t) => t.functionName).join(' ')}` : ''}${flags.alias ? ` --alias ${flags.alias}` : ''}`,
        target,
      );
    // Guarded from before the listing of the functions in reach (none named): a Ctrl-C there
    // ended exit 130 with nothing said, not even under --json (found by a hostile pass, F1).
    // A second signal during that listing: nothing written yet, nothing may be split (not exit 4).
    let watch: AliasWatch =
      named.length > 0
        ? watchRollback({ targets: named, command: command(named) })
        : listingWatch(command(named));
    const guard = this.guardRollback(() => watch);
    let result: Awaited<ReturnType<typeof rollbackReleaseClaimed>>;
    try {
      // A Ctrl-C during a listing abandons the call in flight (a ListTags that hangs): only reads.
      const calls = abortWhileListing(guard.signal);
      const runtime = await createRuntime(
        mergeAwsTarget(flags, config),
        { functions: named.map((t) => t.functionName) },
        undefined,
        calls.signal,
      );
      // None named: the release's records in reach say which functions it has (release-members-found.ts).
      const found =
        named.length > 0
          ? { targets: named, reach: undefined }
          : await findMembersOrRefuse(runtime.lambda, releaseId, flags.alias, guard.signal, (t) =>
              this.note(t),
            );
      calls.listing(false);
      const targets = found.targets;
      watch = watchRollback({ targets, command: command(targets) });
      // Claims each record first, as a scheduled check does, so the two never roll one function back together.
      result = await rollbackReleaseClaimed(
        {
          lambda: runtime.lambda,
          clock: runtime.clock,
          store: runtime.store,
          traffic: runtime.traffic,
          // The listing of the release's functions not named (after the named ones are back)
          // can take a while in a large account: its one line says what the wait is.
          events: combineSinks(watch.sink, {
            emit: (event) => {
              if (event.type === 'log' && event.message === LISTING_NOTICE) this.note(event.message);
            },
          }),
          owner: rollbackOwner(describeOwner()),
          processes: localProcesses,
          beginListing: () => calls.listing(true),
        },
        { releaseId, targets, reason: flags.reason, signal: guard.signal },
        found.reach,
      );
    } finally {
      // From here to the process's end a signal has nothing left to stop: held, not Node's
      // default action (exit 130) in the moments before the process is gone (late-interrupt.ts).
      endInterrupts(guard);
    }
    const functions = targetRelease(result, target).functions.map((f) => withReason(f));
    const errors = targetErrors(result.errors, target);
    this.sayProse(
      describeReleaseRollbackLines(releaseId, { ...result, functions, errors }, named.length > 0).join('\n'),
    );
    const exitCode = exitCodeForRollback(result.status);
    this.setExitCode(exitCode);
    return { ...result, functions, errors, exitCode };
  }
}

const ROLLBACK_STOPPING =
  'stopping before the alias write and giving back any claim (a write already started is finished)';
