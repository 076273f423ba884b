import { mergeAwsTarget } from '../src/cli/aws-target.js';
import { BaseCommand } from '../src/cli/base-command.js';
import { loadConfig } from '../src/cli/config-file.js';
import { DEPLOY_FLAGS } from '../src/cli/deploy-flags.js';
import type { DeployInvocation } from '../src/cli/deploy-invocation.js';
import type { DeployFlags } from '../src/cli/deploy-options.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { progressMode } from '../src/cli/flags.js';
import { FUNCTION_WORDS, functionArg, looksLikeFlag } from '../src/cli/function-args.js';
import type { FunctionEntry, LshiftConfig } from '../src/cli/option-schema.js';
import { releaseFunctions, resolveReleaseOptions, resolveSingleOptions } from '../src/cli/release-options.js';
import type { ReleaseInvocation } from '../src/cli/release-setup.js';
import { renderDeployResult } from '../src/cli/render-result.js';
import { renderDryRun, serializeDryRun } from '../src/cli/renderers/dry-run-text.js';
import { renderReleaseResult } from '../src/cli/renderers/release-result-text.js';
import { executeDeploy } from '../src/cli/run-deploy.js';
import { executeDryRun } from '../src/cli/run-dry-run.js';
import { executeRelease } from '../src/cli/run-release.js';
import {
  executeReleaseDryRun,
  renderReleaseDryRun,
  serializeReleaseDryRun,
} from '../src/cli/run-release-dry-run.js';
import { parseSandboxScenarios, parseSpeed } from '../src/cli/sandbox-session.js';
import { UsageError } from '../src/domain/errors.js';
import { createAnalysisGate } from '../src/engine/analysis-gate.js';

export default class Deploy extends BaseCommand {
  static override summary =
    'Publish a version and shift an alias to it step by step; roll back automatically on failure.';
  static override description =
    `Checks everything it can before the first write (the function, alias, alarms, deployment record, and $LATEST's execution role and dead-letter queue against the stable version's — before any upload), publishes $LATEST (after uploading code when a code flag is given) or takes --version, checks the new version, then walks the strategy's plan: each step sets the alias weight (with the alias RevisionId), holds while polling alarms every --interval, and moves on. Any alarm in ALARM, or health that cannot be read several times in a row, rolls all traffic back to the stable version.

Several functions (\`lshift deploy fnA fnB fnC\`, or a config file's \`functions:\` with no function argument) deploy as one release: every function is checked before anything is written, the weights move in lockstep (or one function after the other with --stagger), and if any function fails, every function goes back to its stable version (docs/releases.md). \`{function}\` in --alarm, hook and code flags becomes each function's name.

With --sandbox, everything runs against a local in-process sandbox with a demo function (one per function of a release): no AWS account needed.

${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> deploy demo --sandbox --strategy Linear10PercentEvery1Minute --speed 60',
    '<%= config.bin %> deploy demo --sandbox --sandbox-scenario bad --strategy canary:10%:5m --speed 60',
    '<%= config.bin %> deploy my-fn --zip build/my-fn.zip --strategy Canary10Percent5Minutes --alarm my-fn-errors',
    '<%= config.bin %> deploy my-fn --version 7 --strategy linear:20%:2m --alarm my-fn-errors --json',
    '<%= config.bin %> deploy orders billing mailer --sandbox --sandbox-scenario bad:billing --strategy linear:20%:1m',
    "<%= config.bin %> deploy orders billing --zip 'build/{function}.zip' --alarm '{function}-errors'",
  ];
  // Several function names make a release; oclif hands them over in argv.
  static override strict = false;
  static override args = {
    function: functionArg({
      description: `${FUNCTION_WORDS}; several deploy as one release (none: the config file’s functions)`,
    }),
  };
  static override flags = DEPLOY_FLAGS;

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(Deploy);
    const names = checkArgv(argv as string[]);
    checkEngineFlags(flags, names.length);
    if (!flags.sandbox && (flags.speed || flags['sandbox-scenario'] || flags.seed !== undefined)) {
      throw new UsageError(
        'CONFLICTING_FLAGS',
        '--speed, --sandbox-scenario and --seed only apply with --sandbox.',
        {
          hint: 'Add --sandbox, or drop those flags.',
        },
      );
    }
    if (flags.resume) checkResumeFlags(flags);
    if (flags['dry-run'] && (flags.resume || flags.supersede)) {
      throw new UsageError(
        'CONFLICTING_FLAGS',
        `--dry-run cannot be combined with --${flags.resume ? 'resume' : 'supersede'}: both act on a deployment already on the alias.`,
        { hint: 'Drop --dry-run; `lshift status <function>` shows the deployment on the alias.' },
      );
    }
    const { config } = await loadConfig(flags.config);
    const entries = releaseFunctions(names, config);
    if (entries.length > 1) return this.runRelease(flags, config, entries);
    const entry = entries[0];
    if (entry === undefined) {
      throw new UsageError('USAGE', 'Missing the function to deploy.', {
        hint: 'Name it (`lshift deploy my-fn`), several for a release, or list `functions:` in the config file.',
      });
    }
    const functionName = nameOfEntry(entry);
    const options = resolveSingleOptions(flags, config, entry);
    const progress = progressMode(flags, (t) => this.note(t));
    const invocation: DeployInvocation = {
      functionName,
      options,
      aws: mergeAwsTarget(flags, config),
      output: progress,
      resume: flags.resume,
      guardsChanged: flags['guards-changed'],
      supersede: flags.supersede,
      detach: flags.detach,
      json: this.jsonEnabled(),
      buildGates: (runtime) => [createAnalysisGate(runtime.metrics, options.analysis)],
      sandbox: flags.sandbox
        ? {
            speed: parseSpeed(flags.speed ?? '60'),
            seed: flags.seed,
            scenario: parseSandboxScenarios(flags['sandbox-scenario'] ?? [], [functionName])[functionName]!,
          }
        : undefined,
    };
    if (flags['dry-run']) {
      const report = await executeDryRun(invocation);
      if (progress !== 'ndjson') this.say(renderDryRun(report));
      return serializeDryRun(report);
    }
    const { result, exitCode } = await executeDeploy(invocation);
    if (progress !== 'ndjson') this.sayProse(renderDeployResult(result));
    this.setExitCode(exitCode);
    return result;
  }

  /** `lshift deploy fnA fnB …`: one release of several functions (src/cli/run-release.ts). */
  private async runRelease(
    flags: DeployFlags,
    config: LshiftConfig,
    entries: FunctionEntry[],
  ): Promise<unknown> {
    if (flags.resume && (flags.stagger ?? config.stagger)) {
      throw new UsageError(
        'CONFLICTING_FLAGS',
        '--resume continues a lockstep release; --stagger cannot be resumed yet.',
        {
          hint: 'Roll the release back with `lshift rollback --release <id> <functions…>` and deploy again.',
        },
      );
    }
    if ((flags.engine ?? config.engine) === 'codedeploy') {
      throw new UsageError(
        'ENGINE_CANNOT_RUN',
        '--engine codedeploy runs one function per CodeDeploy deployment; a release of several functions runs on the native engine.',
        { hint: 'Drop --engine codedeploy, or deploy each function alone with --engine codedeploy.' },
      );
    }
    for (const refused of ['supersede', 'warm'] as const) {
      if (flags[refused] || (refused === 'warm' && config.warm)) {
        throw new UsageError(
          'CONFLICTING_FLAGS',
          `--${refused} acts on one function; a release of several does not take it yet.`,
          {
            hint: `Roll a release back with \`lshift rollback --release <id>\`; --${refused} works on each function alone.`,
          },
        );
      }
    }
    const { members, releaseHooks } = resolveReleaseOptions(flags, config, entries);
    const progress = progressMode(flags, (t) => this.note(t));
    const names = members.map((m) => m.functionName);
    const invocation: ReleaseInvocation = {
      members,
      releaseHooks,
      stagger: flags.stagger ?? config.stagger ?? false,
      resume: flags.resume,
      guardsChanged: flags['guards-changed'],
      aws: mergeAwsTarget(flags, config),
      output: progress,
      json: this.jsonEnabled(),
      buildGates: (runtime, member) => [createAnalysisGate(runtime.metrics, member.options.analysis)],
      sandbox: flags.sandbox
        ? {
            speed: parseSpeed(flags.speed ?? '60'),
            seed: flags.seed,
            scenarios: parseSandboxScenarios(flags['sandbox-scenario'] ?? [], names),
          }
        : undefined,
    };
    if (flags['dry-run']) {
      const report = await executeReleaseDryRun(invocation);
      if (progress !== 'ndjson') this.say(renderReleaseDryRun(report));
      return serializeReleaseDryRun(report);
    }
    const { result, exitCode } = await executeRelease(invocation);
    if (progress !== 'ndjson') this.sayProse(renderReleaseResult(result));
    this.setExitCode(exitCode);
    return result;
  }
}

/** Unknown flags reach argv when the command takes any number of arguments: refuse them as oclif would. */
function checkArgv(argv: string[]): string[] {
  const flag = argv.find((a) => looksLikeFlag(a));
  if (flag)
    throw new UsageError('USAGE', `Nonexistent flag: ${flag}`, { hint: 'See `lshift deploy --help`.' });
  return argv;
}

function nameOfEntry(entry: FunctionEntry): string {
  return typeof entry === 'string' ? entry : entry.name;
}

/** --detach only means something when CodeDeploy runs the shift; resuming one is not supported yet. */
function checkEngineFlags(
  flags: { engine?: string; detach?: boolean; resume?: boolean; sandbox?: boolean },
  functionCount: number,
): void {
  // Said first: "add --engine codedeploy" would only lead to CodeDeploy refusing a release.
  if (flags.detach && functionCount > 1) {
    throw new UsageError(
      'CONFLICTING_FLAGS',
      `--detach hands one function's shift to CodeDeploy; a release of ${functionCount} functions runs in this process on the native engine.`,
      { hint: 'Drop --detach, or deploy each function alone with --engine codedeploy --detach.' },
    );
  }
  if (flags.detach && flags.engine !== 'codedeploy') {
    throw new UsageError(
      'CONFLICTING_FLAGS',
      '--detach leaves the shift to CodeDeploy; it needs --engine codedeploy.',
      {
        hint: 'Add --engine codedeploy, or drop --detach (the native engine runs in this process).',
      },
    );
  }
  if (flags.detach && flags.sandbox) {
    throw new UsageError(
      'CONFLICTING_FLAGS',
      '--detach cannot be combined with --sandbox: the in-process sandbox stops when lshift exits.',
      { hint: 'Run `lshift sandbox` in another shell and point LSHIFT_SANDBOX at it, or drop --detach.' },
    );
  }
  if (flags.resume && flags.engine === 'codedeploy') {
    throw new UsageError(
      'CONFLICTING_FLAGS',
      '--resume continues a native deployment; a CodeDeploy deployment keeps running without lshift.',
      {
        hint: 'Follow it with `lshift wait <deployment-id>` (lshift status shows the id), or roll it back with lshift rollback.',
      },
    );
  }
}

/** --resume continues what the record says: a new code source or strategy would contradict it. */
function checkResumeFlags(flags: Record<string, unknown>): void {
  const contradicting = [
    'zip',
    's3-bucket',
    's3-key',
    'image-uri',
    'version',
    'strategy',
    'supersede',
    'sandbox',
  ].filter((name) => flags[name] !== undefined && flags[name] !== false);
  if (contradicting.length > 0) {
    throw new UsageError(
      'CONFLICTING_FLAGS',
      `--resume continues the recorded deployment (its version and strategy); it cannot be combined with ${contradicting.map((n) => `--${n}`).join(', ')}.`,
      { hint: 'Drop those flags, or roll the recorded deployment back (lshift rollback) and deploy anew.' },
    );
  }
}
