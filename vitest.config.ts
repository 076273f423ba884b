import { readdirSync } from 'node:fs';
import { configDefaults, defineConfig } from 'vitest/config';

// The pure tests (test/engine, test/unit: engine and domain code against in-memory ports) share
// their worker's modules (isolate: false): importing lshift's sources again for each of ~210 files
// was most of their time (docs/architecture.md, Decisions). So do the tests of the built CLI
// against an in-process sandbox (test/e2e), of the sandbox and of the hooks: they patch nothing
// process-wide, and a fresh module graph (the SDK, the sandbox) cost ~0.9 CPU-s a file (33 e2e
// files: 225 → 195 CPU-s; sandbox and hooks: 52–63 → 19–25). So do most of test/cli: files that
// start the built CLI or test a formatter and patch nothing process-wide. Isolated, each cost ~0.5
// CPU-s for its fresh worker and module graph (96 of those files: 155 and 173 CPU-s isolated, 114 and
// 115 shared, two rounds, 2026-12-04). The rest run each file in a fresh module graph: test/aws
// (nock) and the test/cli files in ISOLATED_CLI, which patch process-wide things (module mocks,
// spies on process.stdout, signals emitted at the process, environment variables, fake timers).
// test/unit/shared-files.test.ts keeps such patches out of the shared files: a new test/cli file
// that needs one goes into ISOLATED_CLI.
export const ISOLATED_CLI = [
  'action-deploy-script.test.ts',
  'bundle-launcher.test.ts',
  'clocks.test.ts',
  'code-source-once.test.ts',
  'codedeploy-keep-move-signal.test.ts',
  'config-file.test.ts',
  'config-snapshot.test.ts',
  'config-yaml.test.ts',
  // Adds values to the process's one KnownSecrets (function-secrets.ts): they would mask text in
  // the files that share its worker.
  'format-error.test.ts',
  'help-output.test.ts',
  'hook-env.test.ts',
  'hostile-output.test.ts',
  'interrupts.test.ts',
  'late-interrupt.test.ts',
  'listr-renderer-tty.test.ts',
  'listr-renderer.test.ts',
  'node-warnings.test.ts',
  'not-regular-file-messages.test.ts',
  'one-command.test.ts',
  'progress-choice.test.ts',
  'progress-node-warnings.test.ts',
  'runtime-kept-sandbox-target.test.ts',
  'runtime-sdk-warnings.test.ts',
  'sandbox-blank.test.ts',
  'sandbox-clock-read.test.ts',
  'sandbox-url-path.test.ts',
  'targeted-result.test.ts',
  'top-level-error.test.ts',
].map((name) => `test/cli/${name}`);

/**
 * The test/cli files that run the built CLI's commands in their worker's process
 * (test/helpers/run-cli-in-process.ts) rather than start it for each refusal (~0.27 CPU-s a start).
 * A run replaces the process's environment, argv, exit code and output streams and puts them back;
 * lshift's dist modules stay loaded (~0.8 CPU-s the first time, ~15 ms a run after). These files
 * share their workers with each other only (and with IN_PROCESS_E2E): they do nothing else
 * process-wide, and what a run remembers in lshift's modules (the run's target, a function's
 * secrets, its NDJSON stdout) is forgotten around each run (forgetRunState), so a second file's
 * runs find the modules as a started CLI would.
 */
export const IN_PROCESS_CLI = [
  'alarm-template-length.test.ts',
  'alias-usage.test.ts',
  'check-usage.test.ts',
  'config-functions.test.ts',
  'deploy-engine-flag.test.ts',
  'deploy-usage.test.ts',
  'docs-plan-examples.test.ts',
  'duration-limits.test.ts',
  'endpoint-url.test.ts',
  'flag-of-another-command.test.ts',
  'hostile-arguments.test.ts',
  'iam-policy-cli.test.ts',
  'in-process-one-run.test.ts',
  'oclif-conventions.test.ts',
  'plan.test.ts',
  'publish-usage.test.ts',
  'release-rollback-stopped-offer.test.ts',
  'wait-usage.test.ts',
].map((name) => `test/cli/${name}`);

/**
 * The test/e2e files that run some of the built CLI's commands in their worker's process too: the
 * runs that refuse or only read a test's sandbox, and deploys, status, check and rollback against
 * it (each run's owner names a process of its own that ends with the run: run-cli-in-process.ts
 * RunOwner), never one that needs a process (signals, a terminal, a closed pipe, a hook that
 * signals lshift, `--sandbox`). run-cli-in-process.ts forgets what such a run remembers (the
 * function's environment values it masks). They run with IN_PROCESS_CLI, not in
 * the shared project: a run replaces the process's environment and output streams for its length.
 */
export const IN_PROCESS_E2E = [
  'alarm-flap.test.ts',
  'alias-json-routing.test.ts',
  'alias-moved-past.test.ts',
  'alias-signals.test.ts',
  'async-destinations.test.ts',
  'check.test.ts',
  'check-other-container.test.ts',
  'check-record-unreadable.test.ts',
  'check-signal.test.ts',
  'codedeploy.test.ts',
  'codedeploy-check.test.ts',
  'codedeploy-detach-alarm.test.ts',
  'codedeploy-forgotten.test.ts',
  'codedeploy-function-deleted.test.ts',
  'codedeploy-hand-move.test.ts',
  'codedeploy-hotfix-split.test.ts',
  'codedeploy-init.test.ts',
  'codedeploy-stopped-status.test.ts',
  'codedeploy-wait-cause.test.ts',
  'commands.test.ts',
  'crash-resume.test.ts',
  'crash-rollback.test.ts',
  'dash-function.test.ts',
  'deploy-sandbox.test.ts',
  'dry-run.test.ts',
  'event-sources.test.ts',
  'expired-credentials.test.ts',
  // The oclif half of each pair (the bundle's half stays a started CLI).
  'fast-start.test.ts',
  'function-deleted.test.ts',
  'function-names.test.ts',
  'function-region.test.ts',
  'heartbeat-future.test.ts',
  'history.test.ts',
  'hook-moves-alias.test.ts',
  'hooks.test.ts',
  'hostile-output.test.ts',
  'ignore-metric-errors.test.ts',
  'image-deploy.test.ts',
  'in-process-owner.test.ts',
  'latest-role-mismatch.test.ts',
  'lost-response.test.ts',
  'machine-contract.test.ts',
  'offered-commands-target.test.ts',
  'operator-missing-alias.test.ts',
  'operator-verbs.test.ts',
  'preflight-once.test.ts',
  'provisioned-concurrency.test.ts',
  'publish-description.test.ts',
  'records.test.ts',
  'release.test.ts',
  'resume-guards.test.ts',
  'rollback-claim.test.ts',
  'rollback-meets-hand-move.test.ts',
  'rollback-unanswered.test.ts',
  'settle-no-analysis-warning.test.ts',
  'silent-alarm.test.ts',
  'status-alarms.test.ts',
  'status-missing-function.test.ts',
  'status-record.test.ts',
  'supersede-claim.test.ts',
  'wait-after-hand-move.test.ts',
  'wait-interrupt.test.ts',
].map((name) => `test/e2e/${name}`);

/** The test/cli files not in ISOLATED_CLI, by name: a file shares its worker unless it is listed there. */
const sharedCli = readdirSync(new URL('test/cli', import.meta.url))
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => `test/cli/${name}`)
  .filter((file) => !ISOLATED_CLI.includes(file) && !IN_PROCESS_CLI.includes(file));

export const SHARED = [
  'test/engine/**/*.test.ts',
  'test/unit/**/*.test.ts',
  'test/e2e/**/*.test.ts',
  'test/sandbox/**/*.test.ts',
  'test/hooks/**/*.test.ts',
  ...sharedCli,
];

// Keep a developer's shell from leaking into tests (TOOLCHAIN.md): an empty value counts
// as unset for the SDK.
const blankAws = {
  AWS_ENDPOINT_URL: '',
  AWS_ENDPOINT_URL_LAMBDA: '',
  AWS_ENDPOINT_URL_CLOUDWATCH: '',
  AWS_ENDPOINT_URL_CODEDEPLOY: '',
  AWS_PROFILE: '',
  AWS_MAX_ATTEMPTS: '',
  AWS_RETRY_MODE: '',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

// Unset, not blank: lshift refuses an empty LSHIFT_SANDBOX (SANDBOX_URL_INVALID). The workers
// and every CLI a test starts inherit this process's environment.
delete process.env.LSHIFT_SANDBOX;

export default defineConfig({
  test: {
    env: blankAws,
    // Budgets, not expectations: e2e tests start the built CLI several times, and must pass on a
    // loaded 2-core machine while a second copy of the suite runs (4× slower than idle and more).
    // A test's outcome never depends on how fast it runs; these only catch a hang.
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One temporary directory for the run, removed at its end (test/temp-dir-setup.ts).
    globalSetup: ['test/temp-dir-setup.ts'],
    // Vitest's default is one worker fewer than the cores: one on a 2-core CI machine. The e2e
    // tests mostly wait (on the built CLI, and on sandboxes whose simulated minutes take real
    // seconds): the machine sat at a load of about 1 with two workers. On 2 idle cores, measured
    // 2026-12-03 (docs/architecture.md, Decisions): 2 workers 402 s, 4 workers 260 s, 6 workers
    // 210 s; two copies at once with 4 workers each, 433 s and 431 s, both green. Four, not six:
    // a second copy doubles the load, and 2 × 4 is what was shown to pass beside one.
    maxWorkers: 4,
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          isolate: false,
          include: SHARED,
          exclude: [...configDefaults.exclude, ...IN_PROCESS_E2E],
        },
      },
      {
        extends: true,
        test: { name: 'in-process', isolate: false, include: [...IN_PROCESS_CLI, ...IN_PROCESS_E2E] },
      },
      // Not `include` at the top: a project extending it would add its own to it, not replace it.
      {
        extends: true,
        test: {
          name: 'isolated',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...SHARED, ...IN_PROCESS_CLI, ...IN_PROCESS_E2E],
        },
      },
    ],
  },
});
