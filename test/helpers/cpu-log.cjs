// Preloaded into the built CLI by run-cli.ts when LSHIFT_TEST_CPU_LOG names a file (off by
// default): at exit, appends one tab-separated line — user and system CPU-s, the test file, the
// command — so a run of the suite says where its CLI starts' CPU goes (test/helpers/cpu-report.mjs).
// run-cli.ts passes the log as CPU_LOG_FILE and the test file as CPU_LOG_TEST: names without
// lshift's LSHIFT_ prefix, which lshift passes on to hooks.
const { appendFileSync } = require('node:fs');

const started = Date.now();
process.once('exit', () => {
  const { user, system } = process.cpuUsage();
  const line = [
    (user / 1e6).toFixed(3),
    (system / 1e6).toFixed(3),
    ((Date.now() - started) / 1000).toFixed(2),
    process.env.CPU_LOG_TEST ?? '?',
    process.argv.slice(2, 4).join(' ').replace(/\s+/g, ' '),
  ].join('\t');
  try {
    appendFileSync(process.env.CPU_LOG_FILE, `${line}\n`);
  } catch {
    // a measurement must never change what the CLI does
  }
});
