/**
 * A rollback left unfinished (`rolling-back` whose runner died, or `failed`) whose alias someone
 * moved since, further towards the new version than the crashed run could have left it (a person
 * promoting by hand after the crash: resume-point.ts `rollback-overtaken`). `deploy --resume` and
 * `lshift check` finished the rollback over that move, and `lshift status` said "the next check
 * finishes it" (found by a hostile pass, session 66, F2). Now the resume refuses (exit 5), the
 * check leaves it STALLED (exit 4), and status says so; `lshift rollback` is the person's way to
 * put the traffic back anyway.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { type Plan, planShift } from '../domain/plan.js';
import { parseStrategy } from '../domain/strategy.js';
import { describeAliasState, formatWeight } from './deploy-result.js';
import { chooseResumePoint } from './resume-point.js';

type Routing = { functionVersion: string; additionalWeights: Record<string, number> };

/** The recorded strategy's plan; undefined for one this lshift cannot read (a newer one's). */
export function readRecordedPlan(record: Pick<DeploymentRecord, 'strategy'>): Plan | undefined {
  try {
    return planShift(parseStrategy(record.strategy, { allowLong: true, recorded: true }));
  } catch {
    return undefined;
  }
}

/**
 * The words for an unfinished rollback overtaken by a move (`the alias was moved since …`), or
 * undefined when the alias is where a crash of that rollback can leave it (or the record is no
 * unfinished rollback of lshift's own alias writes).
 */
export function describeRollbackOvertaken(record: DeploymentRecord, alias: Routing): string | undefined {
  if (record.phase !== 'rolling-back' && record.phase !== 'failed') return undefined;
  if (record.engine === 'codedeploy') return undefined;
  const plan = readRecordedPlan(record);
  if (!plan || chooseResumePoint(record, alias, plan).kind !== 'rollback-overtaken') return undefined;
  return describeOvertaking(record, alias);
}

/** `the alias was moved since its rollback stopped: it routes …`. */
export function describeOvertaking(record: DeploymentRecord, alias: Routing): string {
  return `the alias was moved since its rollback stopped: it routes ${describeAliasState(alias)}, further towards version ${record.targetVersion} than its runner could have left it (it recorded ${formatWeight(record.percent)}), so someone moved it`;
}
