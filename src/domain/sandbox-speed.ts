/**
 * The sandbox's time compression (simulated ms per real ms): one range for `--speed` (`lshift
 * sandbox`, `deploy --sandbox`) and a scenario file's `speed`. They used to differ (found by a
 * hostile pass): `--speed 0.0001` was taken while a scenario's `speed: 0.0001` was refused.
 * Below 0.001 a simulated minute would last more than 16 real hours: nothing anyone runs.
 * Above 10000 the sandbox cannot keep up: it simulates every request of every simulated minute
 * (600 a minute per demo function) and replays each alarm minute before a CloudWatch call, and at
 * --speed 100000 (the old ceiling) that work outran the clock — a 5-minute shift took 16
 * simulated days and one request held the event loop 9 s, so `deploy --sandbox`, whose sandbox
 * shares the CLI's process, handled a SIGTERM seconds late (DESIGN §6: well under 5 s). At
 * 10000 on an idle 2-core machine the longest stall measured was 0.5 s (found by a hostile pass).
 */
export const SANDBOX_SPEED = { min: 0.001, max: 10_000 } as const;

/** `must be a number from 0.001 to 10000`, to follow the field's name. */
export const SPEED_RANGE_WORDS = `must be a number from ${SANDBOX_SPEED.min} to ${SANDBOX_SPEED.max}`;

export function isSandboxSpeed(speed: unknown): speed is number {
  return (
    typeof speed === 'number' &&
    Number.isFinite(speed) &&
    speed >= SANDBOX_SPEED.min &&
    speed <= SANDBOX_SPEED.max
  );
}
