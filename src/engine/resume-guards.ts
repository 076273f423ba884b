/**
 * The guards of a deployment — alarms, hooks, bake, analysis — as its record keeps them (`gd=`,
 * src/domain/guard-fingerprint.ts), and the check of `deploy --resume` against them. A resume
 * gets its guards from its own flags and config file, not from the record (a record of 256
 * characters cannot hold alarm names and hook specs); a resume copy-pasted from a hint without
 * the first run's flags would otherwise finish a production shift with no alarm, hook or bake.
 * So a resume whose guards differ from the record's is refused before anything is written,
 * unless `--guards-changed` says the change is deliberate.
 */
import { type DeploymentRecord, encodeRecord } from '../domain/deployment-record.js';
import { PreflightError } from '../domain/errors.js';
import {
  describeGuardDifference,
  describeGuards,
  fingerprintGuards,
  type GuardFingerprint,
  sameGuards,
} from '../domain/guard-fingerprint.js';
import { buildResumeCommand } from './deploy-result.js';
import type { DeployRequest } from './deploy-types.js';
import { logWarn } from './emit.js';
import { type CheckDeps, pass, refuse } from './preflight-checks.js';

type GuardFields = Pick<
  DeployRequest,
  'alarms' | 'hooks' | 'engineHooks' | 'releaseHooks' | 'bakeSeconds' | 'analysis' | 'judging'
>;

/** The fingerprint of what this request watches (CodeDeploy's AppSpec hooks and a release's included). */
export function guardsOf(req: GuardFields): GuardFingerprint {
  return fingerprintGuards({
    alarms: req.alarms,
    hooks: [req.hooks, req.engineHooks, req.releaseHooks],
    bakeSeconds: req.bakeSeconds ?? 0,
    analysis: req.analysis ?? true,
    ...(req.judging ? { judging: req.judging } : {}),
  });
}

/**
 * A function of a release: the release's own hooks are among its guards (the CLI sets them too),
 * and its functions are what a printed resume command names.
 */
export function withReleaseGuards<
  R extends Pick<DeployRequest, 'releaseHooks' | 'releaseFunctions' | 'releaseAliases'>,
>(
  req: R,
  releaseHooks: DeployRequest['releaseHooks'],
  releaseFunctions: readonly string[],
  releaseAliases?: readonly string[],
): R {
  const withFunctions = req.releaseFunctions
    ? req
    : { ...req, releaseFunctions, ...(releaseAliases ? { releaseAliases } : {}) };
  return withFunctions.releaseHooks || !releaseHooks ? withFunctions : { ...withFunctions, releaseHooks };
}

/**
 * Refuses (RESUME_GUARDS_DIFFER, exit 2) a resume whose guards are not the record's, before any
 * write. Returns the guards the takeover records: this run's, which the resumed shift watches.
 */
export function checkResumeGuards(
  deps: CheckDeps,
  req: DeployRequest,
  record: DeploymentRecord,
): GuardFingerprint | undefined {
  const now = guardsOf(req);
  const first = record.guards;
  if (!first) {
    logWarn(
      deps,
      `deployment ${record.id} was recorded by an older lshift, which does not keep the first run's guards: this resume cannot check them, and ${describeGuards(now, 'present')}; it needs the first run's --alarm, hook and --bake flags (or the same --config)`,
      'record',
    );
    return fitting(deps, record, now);
  }
  if (sameGuards(first, now)) {
    pass(deps, 'resume-guards', `this resume ${describeGuards(now, 'present')}, as the first run did`);
    if (first.judging || !now.judging) return first;
    logWarn(
      deps,
      `deployment ${record.id} was recorded by an older lshift, which does not keep the first run's absolute gates and analysis settings: this resume cannot check them; it needs the first run's --max-error-rate, --max-p50/p90/p99, --max-throttles and analysis flags, if it had any (or the same --config)`,
      'record',
    );
    return fitting(deps, record, now);
  }
  const difference = describeGuardDifference(first, now);
  if (req.guardsChanged) {
    logWarn(deps, `--guards-changed: ${difference}; the record now keeps this run's guards`, 'record');
    return fitting(deps, record, now);
  }
  const { functionName: fn, alias } = req;
  return refuse(
    deps,
    'resume-guards',
    new PreflightError(
      'RESUME_GUARDS_DIFFER',
      `Deployment ${record.id} of ${fn} alias ${alias} was started with other guards than this resume has: ${difference}. lshift will not finish the shift watching something else than it started with; nothing was written.`,
      {
        hint: `Resume with ${buildResumeCommand(fn, alias, record, req.releaseFunctions)}, or with the first run's --config. If the change is deliberate (an alarm was deleted, a hook retired), add --guards-changed: the resume then records this run's guards.`,
        context: { functionName: fn, alias },
      },
    ),
  );
}

/**
 * This run's guards, when the record still fits a tag with them. A record of an older lshift
 * with a long strategy may not: it is resumed without them (said), rather than not at all.
 */
function fitting(
  deps: CheckDeps,
  record: DeploymentRecord,
  guards: GuardFingerprint,
): GuardFingerprint | undefined {
  try {
    encodeRecord({ ...record, guards });
    return guards;
  } catch {
    logWarn(
      deps,
      `the record of deployment ${record.id} has no room for this run's guards (strategy ${record.strategy}): a later resume cannot check them`,
      'record',
    );
    return undefined;
  }
}
