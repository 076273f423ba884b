import { Args, Flags } from '@oclif/core';
import { mergeAwsTarget } from '../src/cli/aws-target.js';
import { BaseCommand } from '../src/cli/base-command.js';
import { guessCodeDeployGroup, trafficForRecord } from '../src/cli/codedeploy-engine.js';
import { watchMoveAlias } from '../src/cli/command-watches.js';
import { loadConfig } from '../src/cli/config-file.js';
import { describeRecordCause } from '../src/cli/describe-record-cause.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { awsFlags, configFlag } from '../src/cli/flags.js';
import { FUNCTION_WORDS, functionArg } from '../src/cli/function-args.js';
import { ROLLBACK_SUSPEND_HINT } from '../src/cli/interrupt-notices.js';
import { abortUntilWrite, guardInterrupts } from '../src/cli/interrupts.js';
import { endInterrupts } from '../src/cli/late-interrupt.js';
import { describeOwner } from '../src/cli/owner.js';
import { createRuntime } from '../src/cli/runtime.js';
import { exitOnSecondSignal } from '../src/cli/second-signal.js';
import { echoInput } from '../src/domain/echo.js';
import { describeAliasState } from '../src/engine/deploy-result.js';
import { type MoveAliasRequest, moveAlias } from '../src/engine/move-alias.js';
import { checkVersionArgument } from '../src/engine/move-alias-target.js';

export default class Alias extends BaseCommand {
  static override summary =
    'Point an alias at a version now (no traffic shift), clearing any weighted routing.';
  static override description =
    `The write carries the alias RevisionId: if someone else changed the alias meanwhile, nothing is overwritten (exit 5). A write that got no answer (a timeout, a cut connection, an AWS 5xx) may have landed: the alias is read again, and unless it is at the version now, lshift exits 4 (ALIAS_WRITE_UNANSWERED) with where it was last seen; see it with \`lshift status\`, and running the same command again is safe. Ctrl-C (SIGTERM, SIGHUP, SIGQUIT) before the write stops it with nothing written (INTERRUPTED, exit 1); once the write was sent it finishes; a second signal then exits at once (exit 4: the write may have landed; once it was answered, the alias is said moved and only the close of the deployment record on it is left). Moving an alias ends the lshift deployment on it, if one is unfinished: its record says "moved by hand" (promoted when moved to its target, rolled back otherwise). An unfinished deployment AWS CodeDeploy runs (\`deploy --engine codedeploy --detach\`) refuses the move (exit 5: CodeDeploy would move the alias again), unless CodeDeploy no longer knows it (its application or deployment group was deleted): then the alias is moved and the record closed the same way, even when the alias already points at the version. So is one CodeDeploy says has ended (Succeeded, Failed, Stopped) with no CodeDeploy rollback of it still running (under --json \`endedCodeDeploy\`); a rollback of it still running refuses, saying so, and so does one Stopped or Failed less than 5 minutes ago with no rollback of it named yet (CodeDeploy may still create one), saying when to run it again. So is a native deployment with no live owner (its heartbeat stale, paused, or failed: its rollback failed and its run ended) when the alias already points at the version (moved by hand since): the same routing is written again, so a runner still alive stops at its next weight write, and the record is closed. Moving the alias away from where a finished deployment left it keeps that record as it was and says so (\`lshift status\` shows it as MOVED SINCE). Naming the version of a deployment lshift had decided to roll back, which someone else then put all traffic on (\`lshift status\` says MOVED OVER LSHIFT'S ROLLBACK, exit 4), keeps it: whether the alias is already there or is moved there, the record's end reason then says who kept it (\`moved by hand, kept by <who>\`, under --json \`keptDeployment\`), and status, check and the next deploy no longer ask about it. Under --json, \`previousVersion\` is the alias's primary version before the move and \`previousRouting\` its whole routing (\`functionVersion\` and \`additionalWeights\`, e.g. \`{"3":0.1}\` for a split the move cleared); both are absent when the alias was created.\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> alias my-fn live 7',
    '<%= config.bin %> alias my-fn staging 7 --create',
  ];
  static override args = {
    function: functionArg({
      description: FUNCTION_WORDS,
      required: true,
      qualifierHint: 'The alias and the version are the next two arguments.',
    }),
    alias: Args.string({
      description: 'alias name: 1–128 letters, digits, hyphens or underscores, not all digits',
      required: true,
      ignoreStdin: true,
    }),
    version: Args.string({ description: 'published version number', required: true, ignoreStdin: true }),
  };
  static override flags = {
    create: Flags.boolean({ description: 'create the alias when it does not exist' }),
    ...configFlag,
    ...awsFlags,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Alias);
    const request = {
      functionName: args.function,
      alias: args.alias,
      version: args.version,
      create: flags.create,
      // Named in the record when the move keeps a version put over lshift's rollback.
      by: describeOwner(),
    };
    // Bad input is exit 2 before credentials or a region are looked for (the alias was checked by parse).
    checkVersionArgument(request);
    // The config file's region, profile and endpoint, as every other command reads them: an alias
    // write must not go to another account than `lshift status` and `rollback` read (hostile pass).
    const { config } = await loadConfig(flags.config);
    // Ctrl-C/SIGTERM before the write stops with nothing written (INTERRUPTED, exit 1), abandoning
    // a read in flight; once the write is sent it finishes. A second signal exits at once (exit 4:
    // the write may be in flight). Without this the process died silently, its write landing after.
    const watch = watchMoveAlias(request);
    const guard = guardInterrupts({
      say: (text) => this.note(text.trim()),
      stopping: 'stopping before the alias write (a write already sent is finished)',
      onSecond: (name) => exitOnSecondSignal(name, watch, this.jsonEnabled()),
      refuseSuspend: ROLLBACK_SUSPEND_HINT,
    });
    try {
      const calls = abortUntilWrite(guard.signal);
      const runtime = await createRuntime(
        mergeAwsTarget(flags, config),
        { functions: [args.function] },
        undefined,
        calls.signal,
      );
      const writing = () => {
        calls.writing();
        watch.writing();
      };
      return await this.move(runtime, config, { ...request, signal: guard.signal }, writing, () =>
        watch.written(),
      );
    } finally {
      // From here to the process's end a signal has nothing left to stop: held, not Node's
      // default action (exit 130) in the moments before the process is gone (late-interrupt.ts).
      endInterrupts(guard);
    }
  }

  private async move(
    runtime: Awaited<ReturnType<typeof createRuntime>>,
    config: Awaited<ReturnType<typeof loadConfig>>['config'],
    request: MoveAliasRequest,
    writing: () => void,
    written: () => void,
  ): Promise<unknown> {
    const args = { function: request.functionName, alias: request.alias, version: request.version };
    const moved = await moveAlias(
      {
        writing,
        written,
        lambda: runtime.lambda,
        store: runtime.store,
        clock: runtime.clock,
        // A move beside a deployment CodeDeploy runs on the function's group is refused (exit 5):
        // CodeDeploy split the alias again seconds after `lshift alias` said "routing cleared", exit
        // 0 (found by a hostile pass, following status's advice during a hotfix deployment).
        traffic: trafficForRecord(runtime, {
          group: guessCodeDeployGroup(args.function, args.alias, config),
        })(),
        // Asked only beside an unfinished CodeDeploy record (its client loads on first use).
        codedeploy: runtime.codedeploy,
      },
      request,
    );
    // A split alias was two versions: "(was 1)" hid the 20% the move just took from version 2.
    const previous = moved.previousRouting;
    const split = previous && Object.values(previous.additionalWeights).some((w) => w > 0);
    const from = previous ? ` (was ${split ? describeAliasState(previous) : previous.functionVersion})` : '';
    const name = `${args.function}:${args.alias}`;
    if (moved.created) this.say(`Created alias ${name} → version ${args.version}.`);
    else if (!moved.changed)
      this.say(`Alias ${name} already points at version ${args.version} with no routing; nothing changed.`);
    else this.say(`Alias ${name} → version ${args.version}${from}, routing cleared.`);
    const ended = moved.endedDeployment;
    if (moved.forgottenCodeDeploy) {
      this.say(
        `AWS CodeDeploy no longer knows deployment ${echoInput(moved.forgottenCodeDeploy)} (its application or deployment group was deleted): nothing else moves this alias.`,
      );
    }
    const cdEnded = moved.endedCodeDeploy;
    if (cdEnded) {
      this.say(
        `AWS CodeDeploy had ended deployment ${echoInput(cdEnded.id)} (${echoInput(cdEnded.status)}) and runs no rollback of it: nothing else moves this alias.`,
      );
    }
    if (ended) {
      this.say(
        `Deployment ${ended.id} (version ${ended.stableVersion} → ${ended.targetVersion}) is recorded as ended: ${ended.endReason} (${ended.phase}).`,
      );
    }
    const past = moved.movedPastRecord;
    if (past) {
      // Said as `lshift status` says it (MOVED SINCE), which also tells what check and rollback do.
      this.say(
        `The record of deployment ${past.record.id} (version ${past.record.stableVersion} → ${past.record.targetVersion}, ${past.record.phase}) still says it left all traffic on version ${past.leftOnVersion}; it is kept as it was, and \`lshift status ${args.function} --alias ${args.alias}\` now shows it as MOVED SINCE, with what \`lshift check\` and \`lshift rollback\` do about it.`,
      );
    }
    const kept = moved.keptOverRollback;
    if (kept) {
      this.say(
        `Deployment ${kept.id} (version ${kept.stableVersion} → ${kept.targetVersion}) had been decided for rollback (${describeRecordCause(kept.cause!)}) when someone else put all traffic on version ${kept.targetVersion}; its record now says you keep that version (${kept.endReason}), and \`lshift status\` no longer asks for a decision.`,
      );
    }
    if (moved.recordWarning) this.warn(moved.recordWarning);
    return {
      functionName: args.function,
      alias: args.alias,
      version: args.version,
      previousVersion: moved.previousVersion,
      // The routing the move cleared: a split alias was more than its primary version (the text
      // says `(was version 2 (90%) + version 3 (10%))`; found by a hostile pass, JSON had only "2").
      ...(moved.previousRouting
        ? {
            previousRouting: {
              functionVersion: moved.previousRouting.functionVersion,
              additionalWeights: moved.previousRouting.additionalWeights,
            },
          }
        : {}),
      created: moved.created,
      changed: moved.changed,
      revisionId: moved.alias.revisionId,
      ...(ended ? { endedDeployment: { id: ended.id, phase: ended.phase, reason: ended.endReason } } : {}),
      ...(kept
        ? { keptDeployment: { id: kept.id, version: kept.targetVersion, reason: kept.endReason } }
        : {}),
      ...(moved.forgottenCodeDeploy ? { forgottenCodeDeploy: moved.forgottenCodeDeploy } : {}),
      ...(cdEnded ? { endedCodeDeploy: cdEnded } : {}),
      ...(past
        ? {
            movedPastDeployment: {
              id: past.record.id,
              phase: past.record.phase,
              leftOnVersion: past.leftOnVersion,
            },
          }
        : {}),
      ...(moved.recordWarning ? { warning: moved.recordWarning } : {}),
    };
  }
}
