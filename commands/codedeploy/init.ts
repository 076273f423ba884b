import { Flags } from '@oclif/core';
import { mergeAwsTarget } from '../../src/cli/aws-target.js';
import { BaseCommand } from '../../src/cli/base-command.js';
import { checkInitTargets } from '../../src/cli/codedeploy-init-checks.js';
import { loadConfig } from '../../src/cli/config-file.js';
import { EXIT_CODES_HELP } from '../../src/cli/exit-codes.js';
import { aliasFlag, awsFlags, configFlag, REPEATABLE } from '../../src/cli/flags.js';
import { FUNCTION_WORDS, functionArg } from '../../src/cli/function-args.js';
import { guardWithoutTraffic } from '../../src/cli/interrupts.js';
import { endInterrupts } from '../../src/cli/late-interrupt.js';
import { aliasOf } from '../../src/cli/release-options.js';
import { createRuntime } from '../../src/cli/runtime.js';
import {
  CODEDEPLOY_ALL_AT_ONCE,
  checkAlarmCount,
  resolveCodeDeployNames,
} from '../../src/domain/codedeploy-plan.js';
import { isLshiftError, OperationError, withHint } from '../../src/domain/errors.js';
import { ensureCodeDeploySetup, type SetupProgress } from '../../src/engine/codedeploy-setup.js';
import { buildCodeDeployDeployCommand } from '../../src/engine/deploy-result.js';

export default class CodeDeployInit extends BaseCommand {
  static override summary =
    'Create or reuse the CodeDeploy application and deployment group that `deploy --engine codedeploy` uses.';
  static override description =
    `Creates (or reuses) an application with compute platform Lambda and a deployment group: blue/green with traffic control, the --alarm list (at most 10), auto-rollback on DEPLOYMENT_FAILURE and DEPLOYMENT_STOP_ON_ALARM. Idempotent: a second run changes nothing. Ctrl-C (SIGTERM, SIGHUP, SIGQUIT) abandons the AWS call in flight and makes no other: INTERRUPTED, exit 1, saying what it had created or changed so far and what may have been (running it again finishes the job); a second signal exits at once (exit 1). An existing group (one made by SAM, for instance) is adopted by name and left as it is; what differs from what lshift would create is reported as drift, and changed only with --update.

${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> codedeploy init my-fn --role arn:aws:iam::123456789012:role/CodeDeployLambda --alarm my-fn-errors',
    '<%= config.bin %> codedeploy init my-fn --application ServerlessDeploymentApplication --deployment-group my-fn-DeploymentGroup',
  ];
  static override args = { function: functionArg({ description: FUNCTION_WORDS, required: true }) };
  static override flags = {
    ...aliasFlag,
    role: Flags.string({
      description: 'service role CodeDeploy assumes (AWSCodeDeployRoleForLambda); needed to create the group',
    }),
    application: Flags.string({ description: 'the CodeDeploy application [default: lshift-<function>]' }),
    'deployment-group': Flags.string({ description: 'the deployment group [default: <function>-<alias>]' }),
    alarm: Flags.string({
      description:
        'CloudWatch alarm the group watches (repeatable, at most 10 different ones; a repeated name counts once)',
      ...REPEATABLE,
    }),
    update: Flags.boolean({
      description: 'change an existing group to match (role, alarms, rollback, style)',
    }),
    ...configFlag,
    ...awsFlags,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(CodeDeployInit);
    // The config file's alias, names and AWS target, as `deploy --engine codedeploy` reads them:
    // init must make the group that deploy will look for, in its account (hostile pass).
    const { config } = await loadConfig(flags.config);
    const alias = aliasOf(args.function, flags.alias, config);
    const names = resolveCodeDeployNames(args.function, alias, {
      application: flags.application ?? config.application,
      group: flags['deployment-group'] ?? config['deployment-group'],
    });
    // A repeated --alarm is one alarm; more than 10 is refused before any AWS call.
    const alarms = flags.alarm ? [...new Set(flags.alarm)] : undefined;
    if (alarms) checkAlarmCount(alarms);
    // Ctrl-C/SIGTERM abandons the AWS call in flight and makes no other: INTERRUPTED (exit 1),
    // saying what was made (found by a hostile pass: the process died with 130/143 and said
    // nothing; then, a signal between two calls did not stop it at all).
    const progress: SetupProgress = { done: [] };
    const json = this.jsonEnabled();
    const guard = guardWithoutTraffic({
      say: (text) => this.note(text.trim()),
      stopping: 'stopping codedeploy init: the AWS call in flight is abandoned and no other is made',
      json,
      leftBehind: () => describeInitStop(progress),
    });
    let report: Awaited<ReturnType<typeof ensureCodeDeploySetup>>;
    try {
      const runtime = await createRuntime(
        mergeAwsTarget(flags, config),
        { functions: [args.function] },
        undefined,
        guard.signal,
      );
      await checkInitTargets(runtime, { functionName: args.function, alias, alarms: alarms ?? [] });
      if (guard.signal.aborted) {
        throw new OperationError('INTERRUPTED', 'codedeploy init was interrupted before its first write.', {
          context: { functionName: args.function, alias },
          hint: describeInitStop(progress),
        });
      }
      report = await ensureCodeDeploySetup(runtime.codedeploy, {
        ...names,
        serviceRoleArn: flags.role,
        alarms,
        config: CODEDEPLOY_ALL_AT_ONCE,
        update: flags.update,
        signal: guard.signal,
        progress,
      });
    } catch (error) {
      // An abandoned call's hint names an alias: what init may have left is the application or
      // group. A stop between calls says what was made itself (codedeploy-setup.ts).
      if (isLshiftError(error) && error.code === 'INTERRUPTED' && progress.writing)
        throw withHint(error, describeInitStop(progress));
      throw error;
    } finally {
      endInterrupts(guard);
    }
    this.say(`Application ${report.application.name}: ${report.application.action}.`);
    this.say(`Deployment group ${report.group.name}: ${report.group.action}.`);
    for (const line of report.drift) {
      this.say(`  drift: ${line}${report.group.action === 'updated' ? ' (updated)' : ''}`);
    }
    if (report.drift.length > 0 && report.group.action !== 'updated') {
      this.say('Nothing was changed; run again with --update to make the group match.');
    }
    const deploy = buildCodeDeployDeployCommand({
      functionName: args.function,
      alias,
      application: report.application.name,
      group: report.group.name,
    });
    this.say(`Deploy with: ${deploy}`);
    return { functionName: args.function, alias, ...report };
  }
}

/** What an interrupted `codedeploy init` made or may have made (a second signal's line too). */
function describeInitStop(progress: SetupProgress): string {
  const { done, writing } = progress;
  if (done.length === 0 && !writing) return 'It only read: nothing was changed.';
  const made = done.length === 0 ? '' : `It had ${done.join(' and ')}. `;
  const inFlight = writing ? `It was ${writing}, which may have happened. ` : '';
  return `${made}${inFlight}No alias moved. Run the same \`lshift codedeploy init\` again: it reuses what exists and finishes the job.`;
}
