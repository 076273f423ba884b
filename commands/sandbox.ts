import { existsSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { STOP_SIGNALS } from '../src/cli/interrupts.js';
import { bracketHost, describeListenAddress, describeSpeed } from '../src/cli/sandbox-address.js';
import { checkSandboxHost, refuseEmptySandboxFlags } from '../src/cli/sandbox-flags.js';
import {
  checkSandboxPort,
  parseLambdaRate,
  parseSpeed,
  SANDBOX_SCENARIO_NAMES,
} from '../src/cli/sandbox-session.js';
import { SCHEMA_VERSION } from '../src/cli/schema-version.js';
import { SANDBOX_SPEED } from '../src/domain/sandbox-speed.js';

export default class Sandbox extends BaseCommand {
  static override summary =
    'Run the local AWS-compatible endpoint (Lambda, CloudWatch, CodeDeploy) with synthetic traffic.';
  static override description =
    `Listens on 127.0.0.1 and speaks the real wire protocols, so the AWS SDKs and the AWS CLI work against it unchanged (--endpoint-url). Point lshift at it with the printed \`export LSHIFT_SANDBOX=…\` line: every command then uses it and follows its clock. Seeds the demo function unless --no-demo or the state file already exists. Stops cleanly on Ctrl-C, SIGTERM, SIGHUP (its terminal closed) or SIGQUIT (Ctrl-\\). See docs/sandbox.md.

${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> sandbox --speed 60',
    '<%= config.bin %> sandbox --port 4566 --state .lshift-sandbox.json --scenario faults.yaml',
  ];
  static override flags = {
    host: Flags.string({
      description: 'address to bind (other than 127.0.0.1 only when given explicitly)',
      default: '127.0.0.1',
    }),
    port: Flags.integer({ description: 'port (0 = any free port)', default: 4566, min: 0, max: 65535 }),
    speed: Flags.string({
      // No flag default: a scenario file's `speed`, or the state file's clock, must be able to apply.
      description: `time compression, ${SANDBOX_SPEED.min} to ${SANDBOX_SPEED.max}: 60 = a simulated minute per real second (default: the scenario file’s speed, the state file’s, or 1)`,
    }),
    seed: Flags.integer({ description: 'traffic seed (same seed, same traffic)' }),
    'lambda-rate': Flags.string({
      description: 'Lambda control-plane requests per simulated second before a 429 (Lambda’s quota), or off',
      default: '15',
    }),
    scenario: Flags.string({ description: 'scenario file (JSON or YAML): faults, traffic changes' }),
    state: Flags.string({
      description:
        'state file so the sandbox outlives restarts (created when missing; its folder must exist)',
    }),
    demo: Flags.boolean({
      description: 'seed the demo function, alias and alarm',
      default: true,
      allowNo: true,
    }),
    'demo-scenario': Flags.string({
      description: 'what the demo’s undeployed $LATEST does',
      options: [...SANDBOX_SCENARIO_NAMES],
      default: 'healthy',
    }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Sandbox);
    const speed = flags.speed === undefined ? undefined : parseSpeed(flags.speed);
    const lambdaRate = parseLambdaRate(flags['lambda-rate']);
    checkSandboxPort(flags.port);
    refuseEmptySandboxFlags(flags);
    await checkSandboxHost(flags.host);
    if (!['127.0.0.1', 'localhost', '::1'].includes(flags.host)) {
      this.note(
        `warning: binding the sandbox to ${bracketHost(flags.host)}: it accepts any credentials, so anyone who can reach this address can use it.`,
      );
    }
    const { DEMO_SCENARIOS, loadScenarioFile, seedDemo, startSandbox } = await import(
      '../src/sandbox/index.js'
    );
    const scenario = flags.scenario ? loadScenarioFile(flags.scenario) : undefined;
    const freshState = !flags.state || !existsSync(flags.state);
    const handle = await startSandbox({
      host: flags.host,
      port: flags.port,
      speed,
      seed: flags.seed,
      scenario,
      stateFile: flags.state,
      // Seeding the demo is set-up: unpaced; Lambda's rate applies from the first client request.
      lambdaRate: 'off',
    });
    // A failed seed must not leave the server listening: the process would print the error and never exit.
    const demo =
      flags.demo && freshState
        ? await seedDemo(handle, {
            ...DEMO_SCENARIOS[(scenario?.demo?.preset ?? flags['demo-scenario']) as 'healthy'],
            ...scenario?.demo,
          }).catch(async (error: unknown) => {
            await handle.stop();
            throw error;
          })
        : undefined;
    handle.state.lambdaRate.set(lambdaRate);
    // Listening for Ctrl-C before saying it is ready: a client (or a test) that stops it as soon as
    // it reads the export line must get the clean stop, not Node's default exit by signal.
    const stopped = waitForStopSignal();
    const realSpeed = handle.clock.speed;
    const info = { url: handle.url, host: handle.host, port: handle.port, speed: realSpeed, demo };
    this.say(
      [
        ...describeListenAddress(handle.host, handle.port, handle.url, describeSpeed(realSpeed)),
        demo
          ? `Demo: function ${demo.functionName}, alias ${demo.alias} → version ${demo.stableVersion}, alarm ${demo.alarmName}; $LATEST holds a new version to deploy.`
          : '',
        demo?.hookFunctions
          ? `CodeDeploy hook functions: ${Object.entries(demo.hookFunctions)
              .map(([event, name]) => `${event} ${name}`)
              .join(', ')}.`
          : '',
        '',
        'Use it from another shell:',
        `  export LSHIFT_SANDBOX=${handle.url}`,
        // Its alarm named, as the README's: only `deploy --sandbox` watches `<function>-errors` by itself.
        demo
          ? `  lshift deploy ${demo.functionName} --strategy Linear10PercentEvery1Minute --alarm ${demo.alarmName}`
          : '',
        '',
        // Any credentials are accepted, but the AWS CLI and the SDKs send nothing without some.
        'Any AWS SDK or the AWS CLI, with any credentials (these if you have none):',
        '  export AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox',
        `  aws --endpoint-url ${handle.url} --region us-east-1 lambda list-functions`,
        `  aws --endpoint-url ${handle.url} --region us-east-1 deploy list-deployments`,
        '',
        'Press Ctrl-C to stop.',
      ]
        .filter((line, i, all) => line !== '' || all[i - 1] !== '')
        .join('\n'),
    );
    if (this.jsonEnabled()) this.logJson({ schemaVersion: SCHEMA_VERSION, status: 'listening', ...info });
    await stopped;
    await handle.stop();
    this.say('\nSandbox stopped.');
    return undefined;
  }
}

/** Ctrl-C, a supervisor's SIGTERM, the terminal closed (SIGHUP), Ctrl-\ (SIGQUIT) or another stop signal (cli/interrupts.ts), as every lshift command reads them. */
function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    for (const name of STOP_SIGNALS) process.once(name, () => resolve());
  });
}
