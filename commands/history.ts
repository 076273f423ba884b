import { mergeAwsTarget } from '../src/cli/aws-target.js';
import { BaseCommand } from '../src/cli/base-command.js';
import { loadConfig } from '../src/cli/config-file.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { aliasFlag, awsFlags, configFlag } from '../src/cli/flags.js';
import { FUNCTION_WORDS, functionArg } from '../src/cli/function-args.js';
import { buildHistory, renderHistory } from '../src/cli/history.js';
import { askAboutKeptMove } from '../src/cli/history-kept-move.js';
import { endInterrupts } from '../src/cli/late-interrupt.js';
import { guardReadOnly } from '../src/cli/read-only-interrupt.js';
import { aliasOf } from '../src/cli/release-options.js';
import { createRuntime } from '../src/cli/runtime.js';
import { PreflightError } from '../src/domain/errors.js';

export default class History extends BaseCommand {
  static override summary =
    'Show the deployments lshift recorded on an alias (versions, outcome, when, why).';
  static override description =
    `Reads the deployment record (the tag lshift:<alias> on the function). It keeps the latest deployment in full and only the version numbers that were stable before it; the output says so. A record that does not add up (a heartbeat from the future, a weight over 100%: RECORD_INVALID to \`lshift status\`) is said so, with how to clear it, as \`lshift status\` says it, never shown as a deployment (--json: \`recordError\`, no \`latest\`). Why the latest deployment ended: how someone else ended it, or why lshift rolled it back (the cause its record keeps, as \`lshift status\` says it); one rolled back before any traffic moved (interrupted or failed in its pre-traffic hook, the alias not written since it started) says so (--json: \`trafficMoved: false\`); one promoted and then rolled back by \`lshift rollback\` says so, with when and by whom it was rolled back, not as its deploy's time and owner, which the record no longer keeps (--json: \`rolledBackAfterPromotion: true\`); one closed because someone moved its alias by hand (its record \`rolled-back\`, nothing resumes it) is MOVED BY HAND, saying lshift ran no rollback or why lshift had decided to roll it back (--json: \`outcome: "moved by hand"\`, \`phase\` still \`rolled-back\`), and STALLED while that move's split is still there (of versions the deployment does not place, or of its own two after lshift decided to roll it back), as \`lshift status\` and \`lshift check\` say it: nobody drives that split (--json: \`outcome: "stalled"\`). An \`--engine codedeploy\` record left open by a stop without rollback (kept for a person's move of the alias) that lshift did not see end asks AWS CodeDeploy (one GetDeployment): OVERRIDDEN once CodeDeploy ended it Succeeded over the move, KEPT BY HAND once it Stopped with the move kept, STALLED once it ended otherwise (its own later step over the move before the stop landed, its rollback, Failed: nothing moves the alias, nobody closes the record), as \`lshift status\` says them (--json: \`outcome: "overridden"\`, \`"kept by hand"\`, \`"stalled"\`); otherwise IN PROGRESS with what CodeDeploy said. The earlier stable versions are the ones before the latest deployment's own stable version, as \`lshift status\` lists them.

${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> history my-fn',
    '<%= config.bin %> history my-fn --alias live --json',
  ];
  static override args = { function: functionArg({ description: FUNCTION_WORDS, required: true }) };
  static override flags = { ...aliasFlag, ...configFlag, ...awsFlags };

  async run(): Promise<unknown> {
    // A signal stops it at once, saying nothing was changed (exit 130; read-only-interrupt.ts).
    const guard = guardReadOnly({ command: 'history', json: this.jsonEnabled() });
    try {
      return await this.readAndShow();
    } finally {
      // Once the result is out a signal changes nothing (late-interrupt.ts).
      endInterrupts(guard);
    }
  }

  private async readAndShow(): Promise<unknown> {
    const { args, flags } = await this.parse(History);
    const { config } = await loadConfig(flags.config);
    const alias = aliasOf(args.function, flags.alias, config);
    const runtime = await createRuntime(mergeAwsTarget(flags, config), { functions: [args.function] });
    // Independent reads, overlapped: the alias and the record (GetFunction then ListTags).
    const [current, record] = await Promise.all([
      runtime.lambda.getAlias(args.function, alias),
      runtime.store.read(args.function, alias),
    ]);
    if (!current) {
      throw new PreflightError(
        'ALIAS_NOT_FOUND',
        `Alias ${alias} of function ${args.function} does not exist.`,
        {
          hint: 'Check the function name and --alias.',
          context: { functionName: args.function, alias },
        },
      );
    }
    // A kept-move record stays open: one GetDeployment says whether CodeDeploy Succeeded over the
    // move (OVERRIDDEN, as status says it) rather than "IN PROGRESS" (history-kept-move.ts).
    const keptMove = await askAboutKeptMove(runtime.codedeploy, record, () =>
      runtime.lambda.getAlias(args.function, alias),
    );
    const history = buildHistory(
      args.function,
      alias,
      current,
      record,
      runtime.clock.now(),
      runtime.clock.followsSandbox === true,
      keptMove,
    );
    this.say(renderHistory(history));
    return history;
  }
}
