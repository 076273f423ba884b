/**
 * `/__lshift/*`: the sandbox's own control endpoints (not AWS APIs). Besides the clock and
 * health, they let a test or a demo act at a chosen moment instead of at a simulated time a
 * slow machine may overshoot: add a fault now, hold every request after an event, release.
 */
import type { ServerResponse } from 'node:http';
import { advanceDeployments } from './codedeploy/progress.js';
import { sendPlainJson } from './http.js';
import { pushImage } from './lambda-images.js';
import { closest, operationProblem } from './operation-names.js';
import { own } from './own.js';
import type { Sandbox } from './sandbox.js';
import type { ScenarioFault } from './scenario.js';
import { validateScenario } from './scenario-validation.js';

const ENDPOINTS =
  'GET /__lshift/clock, GET /__lshift/health, GET /__lshift/operations, GET /__lshift/hook-invocations, POST /__lshift/faults, POST /__lshift/hold, POST /__lshift/release, POST /__lshift/images, GET|POST /__lshift/rate';

export function serveControl(
  sb: Sandbox,
  method: string,
  pathname: string,
  body: Buffer,
  res: ServerResponse,
): void {
  const route = `${method} ${pathname}`;
  try {
    const value = answer(sb, route, body);
    if (value !== undefined) sendPlainJson(res, 200, value);
    else sendPlainJson(res, 404, { message: `No sandbox control endpoint ${route}; try ${ENDPOINTS}.` });
  } catch (error) {
    sendPlainJson(res, 400, { message: `${route}: ${(error as Error).message}` });
  }
}

function answer(sb: Sandbox, route: string, body: Buffer): unknown {
  switch (route) {
    case 'GET /__lshift/clock':
      return sb.clock;
    case 'GET /__lshift/health':
      return health(sb);
    case 'GET /__lshift/operations':
      return Object.fromEntries(sb.operationCounts);
    case 'GET /__lshift/hook-invocations':
      // Hooks due by now have been invoked: replay the CodeDeploy clock first.
      advanceDeployments(sb);
      return { invocations: sb.data.codeDeploy?.hookInvocations ?? [] };
    case 'POST /__lshift/faults':
      return addFaults(sb, parse(body));
    case 'POST /__lshift/hold':
      return hold(sb, parse(body));
    case 'GET /__lshift/rate':
      return sb.lambdaRate.describe();
    case 'POST /__lshift/rate':
      return setRate(sb, parse(body));
    case 'POST /__lshift/images':
      return pushImage(sb, parse(body));
    case 'POST /__lshift/release':
      return release(sb, parse(body));
    default:
      return undefined;
  }
}

/** `{"lambdaRate": 15}` or `{"lambdaRate": "off"}`: the control-plane rate from now on. */
function setRate(sb: Sandbox, body: Record<string, unknown>) {
  const rate = body['lambdaRate'];
  if (rate !== 'off' && typeof rate !== 'number') {
    throw new Error('give {"lambdaRate": <requests per second>} or {"lambdaRate": "off"}');
  }
  sb.lambdaRate.set(rate);
  return sb.lambdaRate.describe();
}

function health(sb: Sandbox) {
  return {
    ok: true,
    simNowMs: sb.simNow(),
    seed: sb.data.seed,
    metricDelayMinutes: sb.metricDelayMinutes,
    functions: Object.keys(sb.data.functions).length,
    alarms: Object.keys(sb.data.alarms).length,
    holding: sb.gate.isClosed,
    held: sb.gate.held,
    heldClientGone: sb.gate.heldClientGone,
  };
}

function parse(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new Error('the body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('the body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/**
 * `{"faults":[…]}` in the scenario format (docs/sandbox.md); times count from now. With
 * `"clear": true`, every API fault ends first (the scenario's too, running or yet to start): what
 * a test that made a call fail until a moment it chose sends at that moment.
 */
function addFaults(sb: Sandbox, input: Record<string, unknown>) {
  // A fault's own fields at the top (`{"operations":[…],"kind":"5xx"}`, the list forgotten) added
  // nothing and answered `{"added":0}` (found by a hostile pass).
  const unknown = Object.keys(input).filter((key) => key !== 'faults' && key !== 'clear');
  if (unknown.length > 0) {
    throw new Error(
      `unknown field${unknown.length === 1 ? '' : 's'} ${unknown.map((k) => `\`${k}\``).join(', ')}: the body is {"faults":[<fault>, …]} (each fault in the scenario format), with "clear": true to end the running ones first`,
    );
  }
  if (input.faults === undefined && input.clear !== true) {
    throw new Error('the body needs `faults` (a list of faults in the scenario format) or "clear": true');
  }
  if (input.clear !== undefined && typeof input.clear !== 'boolean') {
    throw new Error('`clear` must be true or false');
  }
  // No source: the control endpoint's error already starts with `POST /__lshift/faults:` and the
  // field is `faults[0]…` ("faults: faults: …" said it three times, found by a garbage-input pass).
  const scenario = validateScenario({ faults: input.faults }, '');
  refuseMissingFunctions(sb, scenario.faults ?? []);
  const cleared = input.clear === true ? sb.endApiFaults() : 0;
  sb.addFaults(scenario.faults ?? []);
  return {
    added: scenario.faults?.length ?? 0,
    ...(input.clear === true ? { cleared } : {}),
    simNowMs: sb.simNow(),
  };
}

/**
 * A version fault on a function the sandbox does not have never fires: refused, as a hold on an
 * operation it does not answer (found by a hostile pass: `"function":"dmeo"` was added). A
 * scenario file's faults are not checked so: its functions may be created after the sandbox starts.
 */
function refuseMissingFunctions(sb: Sandbox, faults: readonly ScenarioFault[]): void {
  const names = Object.keys(sb.data.functions);
  faults.forEach((fault, i) => {
    if (fault.type !== 'version' || own(sb.data.functions, fault.function)) return;
    const near = closest(fault.function, names);
    const have = names.length === 0 ? 'it has none yet' : `it has ${names.slice(0, 20).join(', ')}`;
    throw new Error(
      `\`faults[${i}].function\` names ${JSON.stringify(fault.function.slice(0, 80))}, a function the sandbox does not have${near ? ` (did you mean ${near}?)` : ''}; ${have}`,
    );
  });
}

/**
 * `{}` lets every held request go on and opens the gate; `{"drop":true}` resets them unapplied,
 * `{"late":true}` applies even those whose client has gone; `{"only":["UpdateAlias"]}` lets
 * just the held requests of those operations go on, the others staying held and the gate armed.
 */
function release(sb: Sandbox, input: Record<string, unknown>) {
  refuseUnknownFields(input, ['only', 'late', 'drop']);
  const only = operationList(input.only);
  const late = flag(input, 'late');
  const drop = flag(input, 'drop');
  // Both would apply the held requests and reset them: the gate would quietly pick one.
  if (late && drop)
    throw new Error('give `late` or `drop`, not both: `late` applies the held requests, `drop` resets them');
  sb.gate.release({ drop, late, ...(only ? { only } : {}) });
  return health(sb);
}

/** `true`, `false` or absent; anything else (`"yes"`, 1) is refused rather than read as false. */
function flag(input: Record<string, unknown>, name: string): boolean {
  const value = input[name];
  if (value !== undefined && typeof value !== 'boolean') throw new Error(`\`${name}\` must be true or false`);
  return value === true;
}

/**
 * Every field of a hold or release body is one it reads: a misspelt `olny` made `hold` hold every
 * operation, and a misspelt `drop` released the held requests to be applied.
 */
function refuseUnknownFields(input: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(input).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new Error(
      `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `\`${k}\``).join(', ')}; it takes ${known.map((k) => `\`${k}\``).join(', ')}`,
    );
  }
}

/** An operation name nothing would ever match is refused (operation-names.ts). */
function checkOperation(name: string, field: string): void {
  const problem = operationProblem(name);
  if (problem) throw new Error(`\`${field}\` ${problem}`);
}

function operationList(only: unknown): string[] | undefined {
  if (only !== undefined && !(Array.isArray(only) && only.every((op) => typeof op === 'string'))) {
    throw new Error('`only` must be a list of operation names such as ["UpdateAlias"]');
  }
  if (only === undefined) return undefined;
  // An empty list would match nothing: a hold that holds nothing, a release that releases nothing.
  if (only.length === 0)
    throw new Error('`only` is empty: name at least one operation, or leave `only` out for all');
  for (const op of only) checkOperation(op, 'only');
  return only;
}

/**
 * `{}` holds every request now, `{"only":["UpdateAlias"]}` only those, `{"client":"deployer"}`
 * only those of the client whose SDK app id that is (its User-Agent's `app/deployer`);
 * `{"after":"UpdateAlias","count":2}` holds after the 2nd UpdateAlias from now (of any client).
 * Requests already held stay held.
 */
function hold(sb: Sandbox, input: Record<string, unknown>) {
  refuseUnknownFields(input, ['only', 'client', 'after', 'count']);
  const only = operationList(input.only);
  if (input.client !== undefined && (typeof input.client !== 'string' || input.client === '')) {
    throw new Error('`client` must be an SDK app id such as "deployer" (AWS_SDK_UA_APP_ID)');
  }
  const opts = { only, client: input.client as string | undefined };
  if (input.after === undefined) {
    if (input.count !== undefined)
      throw new Error('`count` needs `after`: the operation whose count starts the hold');
    sb.gate.holdNow(opts);
    return health(sb);
  }
  if (typeof input.after !== 'string' || input.after === '') {
    throw new Error('`after` must be an operation name such as UpdateAlias');
  }
  checkOperation(input.after, 'after');
  const count = input.count ?? 1;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new Error('`count` must be a whole number ≥ 1');
  }
  const operation = input.after;
  const target = sb.gate.count(operation) + count;
  sb.gate.holdAfter((op) => op === operation && sb.gate.count(operation) >= target, opts);
  return health(sb);
}
