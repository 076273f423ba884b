/**
 * Acting on the record validation verdict (src/domain/record-validation.ts): a record that does
 * not add up, on its own or against the alias, becomes RECORD_INVALID (exit 1) naming the tag and
 * how to clear it — `check`, `rollback`, `status` and deploy's preflight never act on it.
 */
import {
  type DeploymentRecord,
  describeClearRecordCommand,
  recordTagKey,
} from '../domain/deployment-record.js';
import { OperationError } from '../domain/errors.js';
import { findAliasMismatch, findRecordProblems } from '../domain/record-validation.js';
import type { AliasInfo } from '../ports/lambda.js';
import { isSplit } from './record-view.js';

export interface RecordTrustContext {
  functionName: string;
  alias: string;
  now: number;
  /** Extra way out, e.g. `pass --to <version> to roll back without it`. */
  otherwise?: string;
}

/** What is wrong with the record (and, when given, against the alias), or undefined when nothing is. */
export function describeUntrustedRecord(
  record: DeploymentRecord,
  now: number,
  alias?: { functionVersion: string; additionalWeights: Record<string, number> },
): string | undefined {
  const problems = findRecordProblems(record, { now });
  const mismatch = alias ? findAliasMismatch(record, alias) : undefined;
  if (mismatch) problems.push(mismatch);
  return problems.length === 0 ? undefined : problems.join('; ');
}

/** RECORD_INVALID for a record that does not add up. */
export function untrustedRecordError(ctx: RecordTrustContext, problem: string): OperationError {
  const tag = `\`${recordTagKey(ctx.alias)}\` on function ${ctx.functionName}`;
  const clear = describeClearRecordCommand(ctx.functionName, ctx.alias);
  return new OperationError(
    'RECORD_INVALID',
    `The deployment record ${tag} does not add up, so lshift will not act on it: ${problem}.`,
    {
      hint:
        `Look at the alias with \`lshift status ${ctx.functionName} --alias ${ctx.alias}\`. If no deployment is in progress, ` +
        `delete the record with \`${clear}\`` +
        (ctx.otherwise ? `, or ${ctx.otherwise}.` : '.'),
      context: { functionName: ctx.functionName, alias: ctx.alias },
    },
  );
}

/** Throws RECORD_INVALID when the record does not add up; returns it otherwise. */
export function assertRecordTrusted(
  record: DeploymentRecord | undefined,
  ctx: RecordTrustContext,
  alias?: { functionVersion: string; additionalWeights: Record<string, number> },
): DeploymentRecord | undefined {
  if (!record) return undefined;
  const problem = describeUntrustedRecord(record, ctx.now, alias);
  if (problem) throw untrustedRecordError(ctx, problem);
  return record;
}

/**
 * The way out of a record that does not add up, for `lshift rollback`: `--to` acts on the alias
 * alone (a split alias: its primary version, named), and leaves the record as it is.
 */
export function describeRollbackWithoutRecord(
  functionName: string,
  aliasName: string,
  alias: Pick<AliasInfo, 'functionVersion' | 'additionalWeights'> | undefined,
): string {
  if (!alias || !isSplit(alias.additionalWeights)) return 'pass --to <version> to roll back without it';
  return `pass --to to roll back without it (all traffic to the primary version: \`lshift rollback ${functionName} --alias ${aliasName} --to ${alias.functionVersion}\`)`;
}
