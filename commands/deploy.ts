import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { loadConfig } from '../src/cli/config-file.js';
import { resolveDeployOptions } from '../src/cli/deploy-options.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { aliasFlag, awsFlags, configFlag, progressFlags, progressMode } from '../src/cli/flags.js';
import { renderDeployResult } from '../src/cli/render-result.js';
import { executeDeploy } from '../src/cli/run-deploy.js';
import { mergeAwsTarget } from '../src/cli/runtime.js';
import { parseSpeed, SANDBOX_SCENARIO_NAMES } from '../src/cli/sandbox-session.js';
import { UsageError } from '../src/domain/errors.js';
import { createAnalysisGate } from '../src/engine/analysis-gate.js';

const HOOK_HELP = 'lambda:<fn>[:<qualifier>], http(s)://…, cmd:<command>, invoke-target:<payload.json>[x<n>]';

export default class Deploy extends BaseCommand {
  static override summary =
    'Publish a version and shift an alias to it step by step; roll back automatically on failure.';
  static override description =
    `Checks everything it can before the first write (the function, alias, alarms, deployment record — before any upload), publishes $LATEST (after uploading code when a code flag is given) or takes --version, checks the new version, then walks the strategy's plan: each step sets the alias weight (with the alias RevisionId), holds while polling alarms every --interval, and moves on. Any alarm in ALARM, or health that cannot be read several times in a row, rolls all traffic back to the stable version.

With --sandbox, everything runs against a local in-process sandbox with a demo function: no AWS account needed.

${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> deploy demo --sandbox --strategy Linear10PercentEvery1Minute --speed 60',
    '<%= config.bin %> deploy demo --sandbox --sandbox-scenario bad --strategy canary:10%:5m --speed 60',
    '<%= config.bin %> deploy my-fn --zip build/my-fn.zip --strategy Canary10Percent5Minutes --alarm my-fn-errors',
    '<%= config.bin %> deploy my-fn --version 7 --strategy linear:20%:2m --alarm my-fn-errors --json',
  ];
  static override args = { function: Args.string({ description: 'function name or ARN', required: true }) };
  static override flags = {
    ...aliasFlag,
    strategy: Flags.string({
      char: 's',
      description: 'strategy (see `lshift plan --help`) [default: Canary10Percent5Minutes]',
    }),
    zip: Flags.string({ description: 'zip file to upload before publishing', helpGroup: 'CODE' }),
    's3-bucket': Flags.string({ description: 'S3 bucket of the code to upload', helpGroup: 'CODE' }),
    's3-key': Flags.string({ description: 'S3 key of the code to upload', helpGroup: 'CODE' }),
    'image-uri': Flags.string({ description: 'container image URI to deploy', helpGroup: 'CODE' }),
    version: Flags.string({
      description: 'deploy this already published version instead of publishing',
      helpGroup: 'CODE',
    }),
    alarm: Flags.string({
      description: 'CloudWatch alarm to watch (repeatable)',
      multiple: true,
      helpGroup: 'HEALTH',
    }),
    interval: Flags.string({ description: 'health poll period [default: 10s]', helpGroup: 'HEALTH' }),
    bake: Flags.string({
      description: 'keep watching for this long after 100% (e.g. 10m)',
      helpGroup: 'HEALTH',
    }),
    'health-error-limit': Flags.integer({
      description: 'roll back after this many consecutive unreadable health polls [default: 3]',
      min: 1,
      helpGroup: 'HEALTH',
    }),
    'ignore-initial-alarms': Flags.boolean({
      description: 'start even if an alarm is already in ALARM',
      helpGroup: 'HEALTH',
    }),
    'pre-hook': Flags.string({
      description: `before any traffic moves (repeatable): ${HOOK_HELP}`,
      multiple: true,
      helpGroup: 'HOOKS',
    }),
    'step-hook': Flags.string({
      description: 'before each weight increase after the first (repeatable)',
      multiple: true,
      helpGroup: 'HOOKS',
    }),
    'post-hook': Flags.string({
      description: 'after 100% (and after the bake) (repeatable)',
      multiple: true,
      helpGroup: 'HOOKS',
    }),
    'rollback-hook': Flags.string({
      description: 'after a rollback; never blocks (repeatable)',
      multiple: true,
      helpGroup: 'HOOKS',
    }),
    'hook-timeout': Flags.string({ description: 'timeout of each hook [default: 5m]', helpGroup: 'HOOKS' }),
    analysis: Flags.boolean({
      description:
        'compare the new version with the stable one (on by default; --no-analysis turns the relative gates off)',
      allowNo: true,
      helpGroup: 'ANALYSIS',
    }),
    'max-error-rate': Flags.string({
      description: 'absolute gate: highest error rate of the new version, e.g. 1%',
      helpGroup: 'ANALYSIS',
    }),
    'max-p50': Flags.string({
      description: 'absolute gate: highest p50 latency, e.g. 200ms',
      helpGroup: 'ANALYSIS',
    }),
    'max-p90': Flags.string({
      description: 'absolute gate: highest p90 latency, e.g. 500ms',
      helpGroup: 'ANALYSIS',
    }),
    'max-p99': Flags.string({
      description: 'absolute gate: highest p99 latency, e.g. 800ms',
      helpGroup: 'ANALYSIS',
    }),
    'max-throttles': Flags.integer({
      description: 'absolute gate: most throttles of the new version per step',
      min: 0,
      helpGroup: 'ANALYSIS',
    }),
    'max-error-rate-increase': Flags.string({
      description:
        'relative gate: allowed error-rate increase over stable in percentage points, or off [default: 0.5pp]',
      helpGroup: 'ANALYSIS',
    }),
    'max-latency-increase': Flags.string({
      description:
        'relative gate: allowed p99 latency increase over stable, e.g. 20% or 20%@p90, or off [default: 20%]',
      helpGroup: 'ANALYSIS',
    }),
    confidence: Flags.string({
      description: 'confidence of the relative gates’ tests [default: 99%]',
      helpGroup: 'ANALYSIS',
    }),
    'min-invocations': Flags.integer({
      description: 'invocations the new version needs per step before it can be judged [default: 100]',
      min: 0,
      helpGroup: 'ANALYSIS',
    }),
    'on-inconclusive': Flags.string({
      description: 'when a step could not be judged: continue (default) or fail',
      options: ['continue', 'fail'],
      helpGroup: 'ANALYSIS',
    }),
    'ignore-metric-errors': Flags.boolean({
      description: 'do not roll back when the metrics API keeps failing',
      helpGroup: 'ANALYSIS',
    }),
    'allow-long-shift': Flags.boolean({ description: 'allow a strategy longer than 48 hours' }),
    'on-interrupt': Flags.string({
      description: 'on Ctrl-C/SIGTERM: rollback (default) or leave the weights and pause',
      options: ['rollback', 'leave'],
    }),
    resume: Flags.boolean({
      description:
        'continue the deployment recorded on the alias (its runner died, or it was paused); pass the same health and hook flags',
    }),
    supersede: Flags.boolean({
      description: 'roll back a deployment in progress on the alias first, then start this one',
    }),
    // Hidden until the CodeDeploy engine works: `--engine codedeploy` is still refused clearly.
    engine: Flags.string({
      description: 'who runs the shift [default: native]',
      options: ['native', 'codedeploy'],
      hidden: true,
    }),
    sandbox: Flags.boolean({
      description: 'run against an in-process sandbox with a demo function (no AWS account)',
      helpGroup: 'SANDBOX',
    }),
    speed: Flags.string({
      description: 'sandbox time compression: 60 = a simulated minute per real second [default: 60]',
      helpGroup: 'SANDBOX',
    }),
    'sandbox-scenario': Flags.string({
      description: 'what the demo’s new version does [default: healthy]',
      options: [...SANDBOX_SCENARIO_NAMES],
      helpGroup: 'SANDBOX',
    }),
    seed: Flags.integer({
      description: 'sandbox traffic seed (same seed, same traffic)',
      helpGroup: 'SANDBOX',
    }),
    ...configFlag,
    ...awsFlags,
    ...progressFlags,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Deploy);
    if (flags.engine === 'codedeploy') {
      throw new UsageError(
        'ENGINE_UNAVAILABLE',
        '--engine codedeploy is not available in this version of lshift.',
        {
          hint: 'Use the default native engine (omit --engine).',
        },
      );
    }
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
    const { config } = await loadConfig(flags.config);
    const options = resolveDeployOptions(flags, config);
    const progress = progressMode(flags, (t) => this.note(t));
    const { result, exitCode } = await executeDeploy({
      functionName: args.function,
      options,
      aws: mergeAwsTarget(flags, config),
      output: progress,
      resume: flags.resume,
      supersede: flags.supersede,
      json: this.jsonEnabled(),
      buildGates: (runtime) => [createAnalysisGate(runtime.metrics, options.analysis)],
      sandbox: flags.sandbox
        ? {
            speed: parseSpeed(flags.speed ?? '60'),
            seed: flags.seed,
            scenario: (flags['sandbox-scenario'] ?? 'healthy') as 'healthy',
          }
        : undefined,
    });
    if (progress !== 'ndjson') this.say(renderDeployResult(result));
    this.setExitCode(exitCode);
    return result;
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
