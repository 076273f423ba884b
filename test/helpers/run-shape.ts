/**
 * How two runs of one command are compared (the in-process twins, run-cli-in-process.ts): pure
 * text functions, apart from the runner so a test of them shares its worker (shared-files.test.ts).
 */
import type { CliRun } from './run-cli.js';

/**
 * A run's output with what differs between two runs of one deploy masked: timestamps, durations
 * (`4m 22s`, `850ms`), deployment and release ids, then every other number (epoch milliseconds, a
 * metric's datapoints, a pid, a percentage left), and the lines a poll or a heartbeat prints
 * (`health at …`, `still holding …`, `settle: still waiting for metrics …`, `bake: still watching …`,
 * `still paused …`, NDJSON's `health.polled` and `record.written`) left out, an alarm's own
 * CloudWatch reason (ALARM_REASON) masked;
 * each stream is then the set of its distinct lines, stdout's first and last kept in place. How
 * many poll lines there are, where they fall, and whether a poll lands on a hold's end depend on
 * the machine's speed against the sandbox's clock, not on where lshift runs: on a loaded machine
 * (load 15–20) twins differed in each of these, and in nothing else.
 */
export function sameRunShape(run: CliRun): CliRun {
  const masked = (text: string) =>
    maskTimes(text)
      .replace(ALARM_REASON, 'Threshold Crossed: <alarm reason>')
      .replace(/\b([dr])-[a-z0-9]{6,}\b/g, '$1-<id>')
      .replace(/\d+(?:\.\d+)?/g, '#')
      .split('\n');
  const distinct = (lines: string[]) => ['--- distinct lines:', ...[...new Set(lines)].sort()];
  const untimed = (text: string) => masked(text).filter((line) => !TIMED_LINE.test(line));
  const out = untimed(run.stdout);
  const err = untimed(run.stderr);
  return {
    ...run,
    stdout: [out[0], out.at(-1), ...distinct(out)].join('\n'),
    stderr: distinct(err).join('\n'),
  };
}

/**
 * The progress lines a poll or a heartbeat prints (sameRunShape): plain-renderer.ts prints a
 * "still …" line from a poll at most every STILL_HOLDING_EVERY_MS, so whether one prints depends on
 * how many polls a loaded machine fits in a hold or a settle (ci217: a settle's line in one twin only).
 */
const TIMED_LINE =
  /\bhealth at |\bstill (?:holding|watching|paused|waiting for metrics)\b|"type":"(?:health\.polled|record\.written)"/;

/**
 * An alarm's own reason, as CloudWatch (the sandbox's alarm-evaluation.ts) words it, up to its
 * closing full stop: whether it had a datapoint when it last evaluated ("no datapoints were
 * received …" in one twin, "1 datapoint [0.0 (…)] was not greater …" in the other) is the
 * machine's speed against the sandbox's clock, not lshift's words (deploy-sandbox, release and
 * function-deleted's twins differed in it at load 20-23). lshift's words around it stay.
 */
const ALARM_REASON = /Threshold Crossed: [^"\n]*?\.(?=$|["\s)])/gm;

/**
 * Timestamps (ISO, and the JSON's epoch milliseconds) and durations (`4m 22s`, `850ms`) masked:
 * what a clock moving on changes in a run's words.
 */
export function maskTimes(text: string): string {
  return text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, '<time>')
    .replace(/\b1\d{12}\b/g, '<epoch-ms>')
    .replace(/\b\d+(?:\.\d+)?(?:ms|h|m|s)(?: \d+(?:\.\d+)?(?:ms|h|m|s))*\b/g, '<duration>');
}
