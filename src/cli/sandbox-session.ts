/**
 * `lshift deploy --sandbox`: an in-process sandbox seeded with a demo function, so the real
 * deploy runs through the real SDK clients without an AWS account.
 */

import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { isFetchBlockedPort } from '../domain/fetch-blocked-ports.js';
import { isSandboxSpeed, SPEED_RANGE_WORDS } from '../domain/sandbox-speed.js';
import type { ClockOrigin } from './clocks.js';

export const SANDBOX_SCENARIO_NAMES = ['healthy', 'bad', 'slow', 'low-traffic'] as const;
export type SandboxScenarioName = (typeof SANDBOX_SCENARIO_NAMES)[number];

export interface SandboxSessionOptions {
  functionName: string;
  alias: string;
  speed: number;
  seed?: number;
  scenario: SandboxScenarioName;
  /** A release: more demo functions, each with its own scenario (the first is `functionName`). */
  more?: { functionName: string; scenario: SandboxScenarioName }[];
}

export interface SandboxSession {
  url: string;
  clock: ClockOrigin;
  alarmName: string;
  /** Each seeded function's alarm (a release seeds several). */
  alarmNames: Record<string, string>;
  stableVersion: string;
  /** Requests the sandbox received so far, by API operation (seeding the demo included). */
  operationCounts(): Record<string, number>;
  stop(): Promise<void>;
}

/** `--lambda-rate`: Lambda control-plane requests per real second the sandbox allows, or `off`. */
export function parseLambdaRate(text: string): number | 'off' {
  if (text.trim().toLowerCase() === 'off') return 'off';
  const rate = Number(text);
  if (text.trim() === '' || !Number.isFinite(rate) || rate <= 0 || rate > 100_000) {
    throw new UsageError(
      'INVALID_FLAG',
      `--lambda-rate must be a number of requests per second above 0, or "off", not "${echoInput(text)}".`,
      { hint: '--lambda-rate 15 is Lambda’s own control-plane quota (the default); off lifts it.' },
    );
  }
  return rate;
}

/**
 * `lshift sandbox --port`: one Node's fetch refuses (fetch-blocked-ports.ts) would start a sandbox
 * lshift itself cannot talk to — it failed as SANDBOX_SEED_FAILED "fetch failed".
 */
export function checkSandboxPort(port: number): void {
  if (!isFetchBlockedPort(port)) return;
  throw new UsageError(
    'INVALID_FLAG',
    `--port ${port} is a port Node's fetch refuses (the Fetch standard blocks it), so lshift could not talk to a sandbox there.`,
    { hint: 'Pick another port, e.g. --port 4566 (the default), or --port 0 for any free one.' },
  );
}

/** `--speed` for both `deploy --sandbox` and `lshift sandbox`: simulated ms per real ms. */
/** A decimal number: Number() also reads `0x10` (16) and `0b11`, which nobody means as a speed. */
const DECIMAL = /^\s*(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$/i;

export function parseSpeed(text: string): number {
  const speed = Number(text);
  // The range a scenario file's `speed` takes too (sandbox-speed.ts).
  if (!DECIMAL.test(text) || !isSandboxSpeed(speed)) {
    throw new UsageError('INVALID_FLAG', `--speed ${SPEED_RANGE_WORDS}, not "${echoInput(text)}".`, {
      hint: '--speed 60 makes a simulated minute pass in a real second.',
    });
  }
  return speed;
}

/**
 * `--sandbox-scenario` values: `bad` (every function) or `bad:<function>` (that one), repeatable;
 * the rest are healthy. A `<scenario>:<function>` wins over a bare `<scenario>` for its function,
 * whatever their order (`--sandbox-scenario slow --sandbox-scenario bad:c`: c bad, the rest
 * slow). Two that differ for the same function — two bare ones, or two for one function — are
 * refused naming both: the last one used to win without a word. Unknown scenarios or functions
 * are usage errors.
 */
export function parseSandboxScenarios(
  values: readonly string[],
  functions: readonly string[],
): Record<string, SandboxScenarioName> {
  let general: { value: string; name: SandboxScenarioName } | undefined;
  const specific = new Map<string, { value: string; name: SandboxScenarioName }>();
  for (const value of values) {
    const at = value.indexOf(':');
    const name = at < 0 ? value : value.slice(0, at);
    const only = at < 0 ? undefined : value.slice(at + 1);
    if (!(SANDBOX_SCENARIO_NAMES as readonly string[]).includes(name)) {
      throw new UsageError(
        'INVALID_FLAG',
        `--sandbox-scenario "${echoInput(value)}": unknown scenario "${echoInput(name)}".`,
        {
          hint: `Use one of ${SANDBOX_SCENARIO_NAMES.join(', ')}, optionally with :<function> (e.g. bad:${functions[0] ?? 'demo'}).`,
        },
      );
    }
    if (only !== undefined && only.trim() === '') {
      throw new UsageError(
        'INVALID_FLAG',
        `--sandbox-scenario "${echoInput(value)}" names no function after its colon.`,
        {
          hint: `Write ${name}:<function> (one of ${functions.join(', ')}), or ${name} alone for every function.`,
        },
      );
    }
    if (only !== undefined && !functions.includes(only)) {
      throw new UsageError(
        'INVALID_FLAG',
        `--sandbox-scenario "${echoInput(value)}": ${echoInput(only)} is not a function of this deploy.`,
        {
          hint: `Name one of ${functions.join(', ')}.`,
        },
      );
    }
    const chosen = { value, name: name as SandboxScenarioName };
    const before = only === undefined ? general : specific.get(only);
    if (before && before.name !== chosen.name) throw twoScenarios(before.value, value, only, functions);
    if (only === undefined) general = chosen;
    else specific.set(only, chosen);
  }
  return Object.fromEntries(functions.map((f) => [f, specific.get(f)?.name ?? general?.name ?? 'healthy']));
}

function twoScenarios(
  first: string,
  second: string,
  only: string | undefined,
  functions: readonly string[],
): UsageError {
  const one = only ?? (functions.length === 1 ? functions[0] : undefined);
  const which = one === undefined ? 'every function' : echoInput(one);
  return new UsageError(
    'CONFLICTING_FLAGS',
    `--sandbox-scenario "${echoInput(first)}" and --sandbox-scenario "${echoInput(second)}" both say what ${which}’s new version does.`,
    {
      hint:
        one === undefined
          ? `Keep one of them; to give one function another scenario, add <scenario>:<function> (e.g. --sandbox-scenario ${echoInput(second)}:${functions.at(-1) ?? 'demo'}), which wins over the bare one for that function.`
          : `Keep one of them for ${which}.`,
    },
  );
}

export async function startSandboxSession(opts: SandboxSessionOptions): Promise<SandboxSession> {
  const { DEFAULT_SANDBOX_LAMBDA_RATE, DEMO_SCENARIOS, seedDemo, startSandbox } = await import(
    '../sandbox/index.js'
  );
  // Seeding is set-up, not the client under test: it runs unpaced, then Lambda's rate applies.
  const handle = await startSandbox({ speed: opts.speed, seed: opts.seed, lambdaRate: 'off' });
  try {
    const demo = await seedDemo(handle, {
      functionName: opts.functionName,
      alias: opts.alias,
      ...DEMO_SCENARIOS[opts.scenario],
    });
    const alarmNames = { [demo.functionName]: demo.alarmName };
    for (const more of opts.more ?? []) {
      const seeded = await seedDemo(handle, {
        functionName: more.functionName,
        alias: opts.alias,
        ...DEMO_SCENARIOS[more.scenario],
      });
      alarmNames[seeded.functionName] = seeded.alarmName;
    }
    handle.state.lambdaRate.set(DEFAULT_SANDBOX_LAMBDA_RATE);
    return {
      url: handle.url,
      clock: handle.clock,
      alarmName: demo.alarmName,
      alarmNames,
      stableVersion: demo.stableVersion,
      operationCounts: () => Object.fromEntries(handle.state.operationCounts),
      stop: () => handle.stop(),
    };
  } catch (error) {
    await handle.stop();
    throw error;
  }
}
