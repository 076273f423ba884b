import { Args, Flags } from '@oclif/core';
import { targetWatch, watchCodeDeploy } from '../src/cli/alias-watch.js';
import { mergeAwsTarget } from '../src/cli/aws-target.js';
import { BaseCommand } from '../src/cli/base-command.js';
import { guessCodeDeployGroup, trafficForRecord } from '../src/cli/codedeploy-engine.js';
import { loadConfig } from '../src/cli/config-file.js';
import { describeFollow } from '../src/cli/describe-follow.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { awsFlags, configFlag } from '../src/cli/flags.js';
import { abortUntilWrite, guardInterrupts } from '../src/cli/interrupts.js';
import { endInterrupts } from '../src/cli/late-interrupt.js';
import { localProcesses } from '../src/cli/local-processes.js';
import { stderr } from '../src/cli/output.js';
import { describeOwner } from '../src/cli/owner.js';
import { combineSinks, createPlainRenderer } from '../src/cli/renderers/line-renderers.js';
import { createRuntime } from '../src/cli/runtime.js';
import { readSandboxFromEnv } from '../src/cli/sandbox-env.js';
import { exitOnSecondSignal } from '../src/cli/second-signal.js';
import { commandTargetOf, targetFixLines, targetResult } from '../src/cli/targeted-result.js';
import { describeWaitInterrupt, type WaitRead } from '../src/cli/wait-interrupt-notice.js';
import { leaveReadsOf } from '../src/cli/wait-leave-reads.js';
import { exitCodeForWait, waitResult } from '../src/cli/wait-result.js';
import { parseDuration } from '../src/domain/duration.js';
import { echoInput } from '../src/domain/echo.js';
import { UsageError } from '../src/domain/errors.js';
import { checkPollInterval } from '../src/domain/poll-interval.js';
import { type FollowResult, followCodeDeploy } from '../src/engine/follow-codedeploy.js';
import { rollbackOwner, waitOwner } from '../src/engine/owner-kinds.js';

export default class Wait extends BaseCommand {
  static override summary =
    'Follow a CodeDeploy deployment (`deploy --engine codedeploy --detach`) until it ends.';
  static override description =
    `Polls the deployment until CodeDeploy reports Succeeded, Failed or Stopped, then reads the alias its AppSpec names: exit 0 when all traffic is on the new version (saying so when the run that followed it died before its settle verdict on the last step's late metrics: that verdict is never made), 3 when all of it is back on the version before, 4 when the alias is in any other state — unless a later lshift deployment (one whose record on the alias started after this deployment was created) holds the alias now: its state is that deployment's, so the wait goes by CodeDeploy's word (0 for Succeeded, else 3), names the holder and changes nothing; one CodeDeploy ended Succeeded whose lshift record naming it is already closed rolled back (a later \`lshift rollback\`), all traffic on that record's stable version, ends rolled back (exit 3), saying so. A deployment AWS CodeDeploy no longer knows (its application or deployment group was deleted) that an unfinished lshift record names ends the wait at once with exit 4, where the alias is, and the \`lshift check\` or \`lshift rollback\` that closes it. A read of the deployment that gets no answer or one of AWS's own errors (a throttle, a reset) is tried again at each poll, with a warning. Losing AWS CodeDeploy after the wait saw the deployment run — no read answering for 3 minutes, or one refused — ends the wait with exit 4 too: it may go on moving the alias with nobody watching (exit 4, CODEDEPLOY_WAIT_LOST, the alias as read then, and the \`lshift wait\` that follows it again). The record of a deployment CodeDeploy started after its own lshift run had ended (CreateDeployment got no answer, the run recorded it rolled back) is claimed by the wait while the deployment runs (owner \`wait:…\`, its heartbeat kept: \`lshift check\` and \`lshift status\` say the wait follows it) and closed as CodeDeploy ends it. The lshift deployment record on the alias is closed when it names this deployment and the run that follows it is gone (its heartbeat past the stale limit and its process not running here, as \`lshift status\` judges it; a live one is left to close it, and the wait says so) — never as promoted when that record says lshift decided to roll the deployment back (\`rolling-back\`, or \`failed\`: a Ctrl-C whose StopDeployment was lost or refused): the wait then finishes that rollback as \`lshift rollback\` does (stops the deployment with auto-rollback, or puts the alias back if CodeDeploy already ended it; exit 3), and if it cannot, exits 4 with the \`lshift rollback\` that does. While the run that decided that rollback lives, the wait leaves the rollback to it; should CodeDeploy end without all traffic back (Succeeded while that run's stop was held), the wait follows the record until that run closes it (exit 3 when all traffic is back) or is gone (the wait finishes it): never exit 0. While the deployment runs and no live lshift run follows its record, each poll also reads the alias (before the status) and tells a person's move from CodeDeploy's own writes as a deploy's follower does (its two versions, one of its config's weights, forward only, not before AllowTraffic nor ahead of its schedule): on a move it stops CodeDeploy without its rollback (the move stays), closes the record moved by hand and exits 5 (4 when the alias is left split: nobody drives that split, \`stalled: true\` beside \`outcome: moved_by_hand\` under --json), or 4 with the \`aws deploy stop-deployment … --no-auto-rollback-enabled\` to run when the stop is refused or not seen to end (\`lshift rollback\` instead when its read after the stop finds CodeDeploy's own later step already over the move: that stop would freeze a split nobody chose). A deployment stopped without its rollback because someone moved its alias by hand while it ran (lshift's record of it closed "moved by hand": its deploy run stopped it, exit 5) ends the wait with exit 5, saying so and where the alias is, nothing changed; a split alias (exit 4: nobody drives it) gets the \`lshift alias\` commands that put all traffic on one version. Ctrl-C or SIGTERM stops the deployment with auto-rollback (StopDeployment), or leaves it running with --on-interrupt leave (exit 0). A signal before the wait has read the deployment says it does not know yet whether CodeDeploy still runs it: one that has ended is not stopped. Once the wait has read that CodeDeploy ended it, a signal stops nothing: the alias is read and the record closed all the same, and the result says the interrupt came after the end. A signal while the wait stops CodeDeploy without its rollback for a move by hand does not cut that stop short (its notice says so; a second signal exits 4 naming the stop without rollback).

${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> wait d-ABCDEF123',
    '<%= config.bin %> wait d-ABCDEF123 --json',
  ];
  static override args = {
    deployment: Args.string({
      description:
        'CodeDeploy deployment id, as CodeDeploy writes it: d- and 9 upper-case letters and digits (d-ABCDEF123); another case is refused (exit 2), naming the id it means',
      required: true,
      ignoreStdin: true,
    }),
  };
  static override flags = {
    interval: Flags.string({ description: 'poll period, 1s to 1m [default: 10s]' }),
    'on-interrupt': Flags.string({
      description:
        'on Ctrl-C/SIGTERM: rollback (StopDeployment with auto-rollback, default) or leave it running',
      options: ['rollback', 'leave'],
    }),
    ...configFlag,
    ...awsFlags,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Wait);
    // `deploy` prints its own id (`shift: d-k3j9x2 …`) before CodeDeploy's: easy to copy instead.
    if (/^d-[0-9a-z]{6}$/.test(args.deployment)) {
      throw new UsageError(
        'INVALID_FLAG',
        `\`${args.deployment}\` is an lshift deployment id, not a CodeDeploy one (d- and 9 characters, such as d-ABCDEF123).`,
        {
          hint: 'The CodeDeploy deployment is on the `engine: AWS CodeDeploy, deployment d-…` line of `lshift status <function>`, and on the `codedeploy: started deployment d-…` line of the deploy.',
        },
      );
    }
    // CodeDeploy's ids are `d-` then 9 upper-case letters and digits; its API documents no case
    // folding, and `D-09BEAE581` passed this check to fail at AWS (exit 1): refused here, named right.
    if (/^d-[A-Z0-9]{9}$/i.test(args.deployment) && !/^d-[A-Z0-9]{9}$/.test(args.deployment)) {
      const right = `d-${args.deployment.slice(2).toUpperCase()}`;
      throw new UsageError(
        'INVALID_FLAG',
        `\`${args.deployment}\` is not a CodeDeploy deployment id as CodeDeploy writes it: \`d-\` in lower case, then 9 upper-case letters and digits (did you mean \`${right}\`?).`,
        { hint: `Run \`lshift wait ${right}\`; \`lshift status <function>\` shows the id on an alias.` },
      );
    }
    if (!/^d-[A-Z0-9]{9}$/.test(args.deployment)) {
      throw new UsageError(
        'INVALID_FLAG',
        `\`${echoInput(args.deployment)}\` is not a CodeDeploy deployment id.`,
        {
          hint: 'CodeDeploy deployment ids look like d-ABCDEF123; `lshift status <function>` shows the one on an alias.',
        },
      );
    }
    const pollSeconds = parseDuration(flags.interval ?? '10s', '--interval');
    // The same bounds as deploy's: `--interval 9999h` would sleep past the deployment's end.
    checkPollInterval(pollSeconds, {}, flags.interval);
    const onInterrupt = (flags['on-interrupt'] ?? 'rollback') as 'rollback' | 'leave';
    // What the deployment moves, once its first read says (a second Ctrl-C names it).
    let moves: { functionName: string; alias: string } | undefined;
    // What the wait has read: the status of its last read, and CodeDeploy's end once read (from
    // then on a signal has nothing left to stop).
    const read: WaitRead = {};
    // Where the fix commands act: the flags, then the config file's too once it is read.
    let target = commandTargetOf(flags);
    const guard = guardInterrupts({
      // The first signal's notice says what happens next: with `leave` nothing is stopped; once
      // the end is read, nothing at all (found by a hostile pass: "stopping the deployment with
      // auto-rollback" while lshift read the alias of a deployment that had Succeeded); before
      // the first read, what happens whether it still runs or has ended (wait-interrupt-notice.ts).
      stopping: () => describeWaitInterrupt(args.deployment, onInterrupt, read),
      onSecond: (name) =>
        exitOnSecondSignal(
          name,
          targetWatch(
            watchCodeDeploy(
              args.deployment,
              moves,
              read.ended,
              onInterrupt === 'rollback',
              read.keepingMove === true,
            ),
            target,
          ),
          this.jsonEnabled(),
        ),
    });
    // Whether the first signal came once the end was read: the result says it stopped nothing.
    let afterEnd = false;
    guard.signal.addEventListener('abort', () => {
      afterEnd = read.ended !== undefined;
    });
    // A signal abandons the AWS call in flight until the end is read, not the alias read and the
    // record close after it (abandoned, the wait of a deployment that had Succeeded ended
    // INTERRUPTED, exit 1, its record left open).
    const calls = abortUntilWrite(guard.signal);
    try {
      // The config file's region, profile and endpoint, as deploy reads them (hostile pass).
      const { config } = await loadConfig(flags.config);
      const aws = mergeAwsTarget(flags, config);
      target = commandTargetOf(aws);
      const runtime = await createRuntime(
        aws,
        // The deployment names its function, in the region CodeDeploy answered from.
        { functions: [] },
        // Read here, not abandoned by a signal as createRuntime's read would be: the stop a
        // Ctrl-C asks for needs the runtime (a signal while the command started, early-signals.ts,
        // came before this read). The read has its own deadline.
        await readSandboxFromEnv(),
        calls.signal,
      );
      const events = combineSinks(
        this.jsonEnabled() ? { emit: () => {} } : createPlainRenderer((t) => stderr.write(t)),
      );
      const result = await followCodeDeploy(
        {
          // --on-interrupt leave: no read starts after the signal (wait-leave-reads.ts).
          ...leaveReadsOf({ codedeploy: runtime.codedeploy, lambda: runtime.lambda }, onInterrupt, calls),
          clock: runtime.clock,
          events,
          store: runtime.store,
          // A deployment lshift decided to roll back is rolled back, as `lshift rollback` does it.
          rollback: {
            traffic: runtime.traffic,
            trafficFor: (record, target) =>
              trafficForRecord(runtime, {
                group: target && guessCodeDeployGroup(target.functionName, target.alias, config),
              })(record),
            processes: localProcesses,
            owner: rollbackOwner(describeOwner()),
          },
          // The record of a deployment CodeDeploy took after its run ended is claimed under this
          // wait's own name, as a deploy's runner writes its own (follow-late-start.ts).
          follower: waitOwner(describeOwner()),
        },
        {
          deploymentId: args.deployment,
          pollSeconds,
          signal: guard.signal,
          onInterrupt,
          onTarget: (target) => {
            moves = target;
          },
          onRead: (info) => {
            read.status = info.status;
          },
          onEnd: (info) => {
            read.ended = info.status;
            calls.writing();
          },
          onFinishingRollback: () => {
            read.finishingRollback = true;
            calls.writing();
          },
          onFollowingRun: (owner) => {
            read.followingRun = owner;
          },
          // Its stop without rollback for a person's move: a signal must not cut it short.
          onKeepingMove: () => {
            read.keepingMove = true;
            calls.writing();
          },
        },
      );
      // A signal that stopped nothing: it came once the end was read, or before the first read of a
      // deployment that had ended already (a signal kept at start-up; found by a hostile pass:
      // "stopping …" and then not a word that nothing was stopped).
      // A signal during the stop without rollback for a move by hand asked for nothing more: that
      // stop is the result (it said "the interrupt came after CodeDeploy had ended the deployment").
      const stoppedNothing =
        guard.signal.aborted && !result.stoppedByInterrupt && result.outcome !== 'left' && !read.keepingMove;
      const worded: FollowResult =
        afterEnd || stoppedNothing ? { ...result, interruptedAfterEnd: true } : result;
      this.sayProse(targetFixLines(describeFollow(worded).split('\n'), target).join('\n'));
      // A person's split left by the stop without rollback: nobody drives it, exit 4 (wait-result.ts).
      const answered = waitResult(worded);
      this.setExitCode(exitCodeForWait(answered));
      return targetResult(answered, target);
    } finally {
      // From here to the process's end a signal has nothing left to stop: held, not Node's
      // default action (exit 130) in the moments before the process is gone (late-interrupt.ts).
      endInterrupts(guard);
    }
  }
}
