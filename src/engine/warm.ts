/**
 * `deploy --warm` (issue 14): the new version's first share of traffic lands on provisioned
 * concurrency that is READY before any traffic moves. Why it works this way, from the Lambda
 * developer guide (https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html):
 *
 * - "Each version of a function can only have one provisioned concurrency configuration. This can
 *   be directly on the version itself, or on an alias that points to the version." An alias with
 *   provisioned concurrency covers the new version from the first weight write on, and only then:
 *   a config of lshift's own on that version would be a second one. So with provisioned
 *   concurrency on the alias, `--warm` refuses (nothing to warm ahead; the READY wait after each
 *   weight write, provisioned-concurrency.ts, is what AWS allows).
 * - With provisioned concurrency on the stable *version* (the alias has none), the alias's
 *   traffic share to the new version has none at all: lshift puts a temporary config on the new
 *   version, sized like the stable version's × the first step's weight, waits until it is READY
 *   (bounded, reported), and removes it when the deployment ends, whatever the ending. It is in
 *   the record (`w=`), so `lshift rollback` and `--resume` remove it after a crash.
 */
import { UsageError } from '../domain/errors.js';
import { causeOf } from '../domain/outcome.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { LambdaPort } from '../ports/lambda.js';
import { describeError, logInfo, logWarn } from './emit.js';
import { guard, pass, refuse } from './preflight-checks.js';
import {
  awaitProvisionedConcurrencyReady,
  type PcWaitKeepAlive,
  type PcWaitLimits,
} from './provisioned-concurrency.js';
import type { PhaseOutcome } from './shift-context.js';
import { deletedFailure, takenOverConflict } from './shift-waits.js';

type Deps = { lambda: LambdaPort; clock: Clock; events: EventSink };

/** Longest wait for the temporary allocation: Lambda "starts allocating … after a minute or two". */
export const WARM_WAIT: PcWaitLimits = { timeoutMs: 600_000, pollMs: 5_000 };

const PC_DOC = 'https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html';

/**
 * How much provisioned concurrency `--warm` puts on the target version, or undefined when it
 * already has its own. `stableAmount`: what the preflight's `warm` check found on the stable
 * version (checkWarmPossible, which refused if there was nothing to warm ahead).
 */
export async function planWarm(
  deps: Deps,
  where: { functionName: string; alias: string },
  versions: { stable: string; target: string },
  firstPercent: number,
  stableAmount: number,
): Promise<number | undefined> {
  const own = await deps.lambda.getProvisionedConcurrency(where.functionName, versions.target);
  if (own) {
    logInfo(
      deps,
      `warm: version ${versions.target} already has provisioned concurrency of its own (${own.requested}, ${own.status}); lshift adds none`,
    );
    return undefined;
  }
  return Math.max(1, Math.ceil((stableAmount * firstPercent) / 100));
}

/**
 * The refusals of `--warm`, which need no new version: deploy runs them before the upload and
 * before a --supersede rollback too (preflight-publish.ts, preflight-supersede.ts), then in the
 * full preflight (preflight.ts) in case something changed meanwhile. Returns the stable version's
 * requested amount. Each is the `warm` preflight check, as every other check before the first
 * write: a refusal's line says what it means and what to do (a terminal shows it under the
 * preflight; the error's hint follows). Those gates say only refusals (sayingRefusalsOnly), so a
 * deployment says the check passed once, inside its full preflight.
 */
export async function checkWarmPossible(
  deps: Deps,
  where: { functionName: string; alias: string },
  stableVersion: string,
): Promise<number> {
  const { functionName: fn, alias } = where;
  const read = (qualifier: string) =>
    guard(deps, 'warm', () => deps.lambda.getProvisionedConcurrency(fn, qualifier));
  const onAlias = await read(alias);
  if (onAlias) {
    refuse(
      deps,
      'warm',
      new UsageError(
        'WARM_NOT_POSSIBLE',
        `--warm cannot warm the new version before any traffic moves: alias ${alias} of function ${fn} has provisioned concurrency of its own (${onAlias.requested}), and AWS allows a version one configuration, its own or that of an alias pointing to it (${PC_DOC})`,
        {
          hint: `Drop --warm: Lambda allocates alias ${alias}'s provisioned concurrency to the new version as its weight grows, and lshift waits for it to be READY after each weight write before the step's hold counts.`,
          context: { functionName: fn, alias },
        },
      ),
      `alias ${alias} has provisioned concurrency of its own (${onAlias.requested}), which covers the new version as its weight grows, so there is nothing to warm ahead: drop --warm`,
    );
  }
  const onStable = await read(stableVersion);
  if (!onStable) {
    refuse(
      deps,
      'warm',
      new UsageError(
        'WARM_NOT_POSSIBLE',
        `--warm has nothing to match: neither alias ${alias} of function ${fn} nor its version ${stableVersion} has provisioned concurrency`,
        {
          hint: 'Drop --warm (the new version starts cold, as the stable one does), or configure provisioned concurrency first.',
          context: { functionName: fn, alias },
        },
      ),
      `neither alias ${alias} nor version ${stableVersion} has provisioned concurrency, so --warm has nothing to match: drop --warm, or configure provisioned concurrency first`,
    );
  }
  pass(
    deps,
    'warm',
    `version ${stableVersion} has provisioned concurrency (${onStable.requested}) for --warm to match`,
  );
  return onStable.requested;
}

/**
 * What the wait needs of the deployment: its record kept alive (its beats read an operator's
 * abort), and the outcome of an abort obeyed meanwhile (shift-waits.ts abortableWait).
 */
export interface WarmWatch {
  keepAlive: PcWaitKeepAlive;
  aborted: () => PhaseOutcome | undefined;
}

/**
 * Puts the temporary config and waits for READY. Undefined when warm; otherwise the outcome that
 * stops the deployment before any traffic moved (the config is removed again first).
 */
export async function warmUp(
  deps: Deps,
  target: { functionName: string; version: string; signal?: AbortSignal },
  amount: number,
  limits: PcWaitLimits = WARM_WAIT,
  watch?: WarmWatch,
): Promise<PhaseOutcome | undefined> {
  const { functionName: fn, version } = target;
  const fail = async (cause: string): Promise<PhaseOutcome> => {
    await coolDown(deps, target, amount);
    return {
      kind: 'failed',
      cause,
      why: { ...causeOf('WARM_NOT_READY', { version, amount }), detail: cause },
    };
  };
  try {
    await deps.lambda.putProvisionedConcurrency(fn, version, amount);
  } catch (error) {
    return fail(
      `--warm could not put provisioned concurrency ${amount} on version ${version}: ${describeError(error)}`,
    );
  }
  logInfo(
    deps,
    `warm: put provisioned concurrency ${amount} on version ${version} (temporary, billed until lshift removes it when the deployment ends)`,
  );
  const waited = await awaitProvisionedConcurrencyReady(
    deps,
    { functionName: fn, alias: version, signal: target.signal, first: true },
    deps.clock,
    limits,
    watch?.keepAlive,
  );
  // Taken over while warming: the record (`w=`) makes its new owner remove the config (a
  // rollback or a resume does), so it is left to it, like the deployment.
  if (waited.kind === 'lost') return takenOverConflict(waited.reason, waited.taken);
  if (waited.kind === 'gone') return deletedFailure(waited);
  // An operator's abort obeyed during the wait (or by its last beat): nothing moved, so nothing
  // to put back; the config goes, as when the version does not get warm.
  const aborted = watch?.aborted();
  if (aborted) {
    await coolDown(deps, target, amount);
    return aborted;
  }
  if (target.signal?.aborted) {
    await coolDown(deps, target, amount);
    return { kind: 'interrupted' };
  }
  if (waited.kind === 'ready') return undefined;
  return fail(`version ${version} was not warm: its provisioned concurrency ${describeWait(waited)}`);
}

function describeWait(waited: Awaited<ReturnType<typeof awaitProvisionedConcurrencyReady>>): string {
  switch (waited.kind) {
    case 'timeout':
      return `was still ${waited.last.status} after ${Math.round(waited.waitedMs / 1000)} s (${waited.last.allocated} of ${waited.last.requested} allocated)`;
    case 'failed':
      return `FAILED (${waited.reason})`;
    case 'unreadable':
      return `could not be read (${waited.reason})`;
    default:
      return 'was not found after lshift put it';
  }
}

/** Removes the temporary config; a failure is a warning that says what it costs and the fix. */
export async function coolDown(
  deps: Deps,
  target: { functionName: string; version: string },
  amount: number,
): Promise<boolean> {
  const { functionName: fn, version } = target;
  try {
    await deps.lambda.deleteProvisionedConcurrency(fn, version);
    logInfo(deps, `warm: removed the temporary provisioned concurrency (${amount}) of version ${version}`);
    return true;
  } catch (error) {
    logWarn(
      deps,
      `warm: could not remove the temporary provisioned concurrency (${amount}) of version ${version}: ${describeError(error)}; it is billed until removed: \`aws lambda delete-provisioned-concurrency-config --function-name ${fn} --qualifier ${version}\``,
      'warm',
    );
    return false;
  }
}

/**
 * After a promotion the provisioned concurrency the user put on the old stable version serves
 * none of the alias's traffic: lshift does not move a config it did not create, so it says so.
 */
export function remindToMoveWarm(
  deps: Deps,
  where: { functionName: string; alias: string; targetVersion: string },
  stableVersion: string,
): void {
  const { functionName: fn, alias, targetVersion: target } = where;
  logWarn(
    deps,
    `warm: version ${stableVersion}'s provisioned concurrency no longer serves alias ${alias}, and version ${target} now runs on demand; move it yourself: \`aws lambda put-provisioned-concurrency-config --function-name ${fn} --qualifier ${target} --provisioned-concurrent-executions <n>\`, then \`aws lambda delete-provisioned-concurrency-config --function-name ${fn} --qualifier ${stableVersion}\``,
    'warm',
  );
}
