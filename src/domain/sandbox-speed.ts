/**
 * The sandbox's time compression (simulated ms per real ms): one range for `--speed` (`lshift
 * sandbox`, `deploy --sandbox`) and a scenario file's `speed`. They used to differ (found by a
 * hostile pass): `--speed 0.0001` was taken while a scenario's `speed: 0.0001` was refused.
 * Below 0.001 a simulated minute would last more than 16 real hours: nothing anyone runs.
 */
export const SANDBOX_SPEED = { min: 0.001, max: 100_000 } as const;

/** `must be a number from 0.001 to 100000`, to follow the field's name. */
export const SPEED_RANGE_WORDS = `must be a number from ${SANDBOX_SPEED.min} to ${SANDBOX_SPEED.max}`;

export function isSandboxSpeed(speed: unknown): speed is number {
  return (
    typeof speed === 'number' &&
    Number.isFinite(speed) &&
    speed >= SANDBOX_SPEED.min &&
    speed <= SANDBOX_SPEED.max
  );
}
