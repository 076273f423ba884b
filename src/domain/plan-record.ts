/**
 * Whether a deploy of this plan could write its deployment record, for `lshift plan` (no AWS):
 * the record lives in one Lambda tag value of at most 256 characters, and `deploy` refuses a
 * strategy whose record cannot fit (RECORD_TOO_LARGE, exit 2, before any write). Its size depends
 * on the strategy's text and steps, the hooks and bake (the guard fingerprint), a release's
 * fields, and on what only a deploy knows: the version numbers, the alarms (`aj=`), the engine.
 * So `plan` encodes the record a deploy of it writes at its smallest (stable version 1, no alarm)
 * and refuses what even that cannot hold, as deploy would; and the same with alarms and 6-digit
 * version numbers, and warns when only the smaller fits (docs/strategies.md#validation-rules).
 * The record is the one deploy's size check encodes (src/engine/deploy.ts draftRecord). Pure.
 */

import { isLshiftError, UsageError } from './errors.js';
import { fingerprintGuards, type GuardHooks } from './guard-fingerprint.js';
import type { Plan } from './plan.js';
import { assertCommandRoom, COMMAND_ROOM, encodeRecord } from './record-encode.js';
import { MAX_JUDGED_GAP_SECONDS } from './record-judged.js';
import { MAX_TAG_VALUE_LENGTH, unpublishedVersionForSize } from './record-tag.js';
import type { DeploymentRecord } from './record-types.js';
import { formatStrategy } from './strategy.js';

export interface PlanRecordInput {
  plan: Plan;
  /** Every hook set a deployment of the plan runs (a release's shared ones and a function's own). */
  hooks: readonly GuardHooks[];
  bakeSeconds: number;
  /** Several functions: each record carries the release's id (`rl=`), and `sg=1` with --stagger. */
  release?: { stagger: boolean };
}

/** Any instant of this era: its epoch ms take 8 base-36 characters from 1973 to 2059. */
const NOW = Date.UTC(2026, 0, 1);

/**
 * The stable versions of the smallest record (a function's first deploy: Lambda numbers versions
 * from 1) and of the larger one (a function deployed many times). The new version is counted as
 * deploy's check before its publish counts it: one digit more than the stable one (`99`, `999999`).
 */
const SMALL_STABLE = '1';
const LARGE_STABLE = '99999';

/**
 * Throws RECORD_TOO_LARGE (deploy's own error) when no deploy of the plan could write its record;
 * returns a warning when only a deploy with small version numbers and no alarm could.
 */
export function checkPlanRecord(input: PlanRecordInput): string | undefined {
  let smallest: number;
  try {
    const record = planRecord(input, SMALL_STABLE, false);
    smallest = encodeRecord(record).length;
    assertCommandRoom(record);
  } catch (error) {
    if (!isLshiftError(error) || error.code !== 'RECORD_TOO_LARGE') throw error;
    throw new UsageError(error.code, `\`lshift deploy\` would refuse this plan: ${error.message}`, {
      hint: error.hint,
    });
  }
  const large = planRecord(input, LARGE_STABLE, true);
  if (fits(large)) return undefined;
  return (
    `\`lshift deploy\` may refuse this plan (RECORD_TOO_LARGE, before anything is written): its deployment record needs ${smallest + COMMAND_ROOM} of the ${MAX_TAG_VALUE_LENGTH} characters a Lambda tag value holds with stable version 1 and no alarm (the new version counted as \`99\`, as deploy counts it before publishing; ${COMMAND_ROOM} of them kept for an operator command: \`lshift abort\`, \`pause\`, \`promote\`), ` +
    `and does not fit with --alarm and 6-digit version numbers (or --engine codedeploy, which adds 21); use fewer or shorter steps (whole percentages, fewer steps)`
  );
}

function fits(record: DeploymentRecord): boolean {
  try {
    encodeRecord(record);
    assertCommandRoom(record);
    return true;
  } catch (error) {
    if (isLshiftError(error) && error.code === 'RECORD_TOO_LARGE') return false;
    throw error;
  }
}

function planRecord(input: PlanRecordInput, stableVersion: string, alarms: boolean): DeploymentRecord {
  const targetVersion = unpublishedVersionForSize(stableVersion);
  const steps = input.plan.steps;
  const longest = steps.reduce((a, b) => (String(b.percent).length > String(a.percent).length ? b : a));
  const guards = fingerprintGuards({
    alarms: alarms ? ['alarm'] : [],
    hooks: input.hooks,
    bakeSeconds: input.bakeSeconds,
    analysis: true,
  });
  return {
    id: 'd-000000',
    stableVersion,
    targetVersion,
    strategy: formatStrategy(input.plan.strategy),
    stepIndex: steps.length - 1,
    percent: longest.percent,
    phase: 'rolling-back',
    startedAt: NOW,
    owner: '',
    heartbeatAt: NOW,
    endedAt: NOW,
    ...(alarms ? { alarmsJudgedUntil: NOW - MAX_JUDGED_GAP_SECONDS * 1000 } : {}),
    history: [stableVersion],
    ...(input.release
      ? { releaseId: 'r-000000', ...(input.release.stagger ? { stagger: true as const } : {}) }
      : {}),
    // A deploy's `jd=` (how it judges health besides alarms) is always this long.
    guards: { ...guards, judging: { absoluteGates: 0, hash: '0000000' } },
  };
}
