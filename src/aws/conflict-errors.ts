/**
 * The conflicts AWS answers a write with (error-mapping.ts maps the rest): a RevisionId mismatch
 * (412) — someone else's change, or on a retried write possibly lshift's own first attempt — an
 * alias that already exists, a function busy with another update.
 */
import { ConflictError, type LshiftError } from '../domain/errors.js';
import {
  type AwsErrorContext,
  contextOf,
  describeTarget,
  type ErrorShape,
  withAwsMessage,
} from './error-shape.js';

export function mapConflict(s: ErrorShape, ctx: AwsErrorContext, error: unknown): LshiftError {
  const opts = { context: contextOf(ctx), cause: error };
  const target = describeTarget(ctx);
  if (s.status === 412 || s.name === 'PreconditionFailedException') {
    const aliasOp = Boolean(ctx.alias);
    if (aliasOp && (s.attempts ?? 1) > 1) return aliasChangedOnRetry(s, ctx, error);
    if ((s.attempts ?? 1) > 1) return functionChangedOnRetry(s, ctx, error);
    return new ConflictError(
      aliasOp ? 'ALIAS_CHANGED' : 'FUNCTION_CHANGED',
      `Someone else changed ${target} since lshift read it (RevisionId mismatch on ${ctx.operation}); nothing was overwritten.`,
      {
        ...opts,
        hint: `Run \`lshift status ${ctx.functionName ?? '<function>'}\` to see the current state, then retry.`,
      },
    );
  }
  if (ctx.operation.endsWith(':CreateAlias')) {
    // A retry meeting it: the first attempt, unanswered, may have created it (lshift alias reads it).
    const retried = (s.attempts ?? 1) > 1;
    return new ConflictError(
      'ALIAS_EXISTS',
      `Alias ${ctx.alias ?? '?'} already exists on ${target}; nothing was overwritten.`,
      {
        ...opts,
        context: { ...opts.context, ...(retried ? { retried: true } : {}) },
        hint: retried
          ? 'An earlier attempt of this request got no answer and may have created it. Run `lshift status` to see where it points.'
          : 'Someone created it concurrently. Re-run the command to move the existing alias.',
      },
    );
  }
  // A retry meeting it: the update in progress may be the first attempt's, unanswered
  // (src/engine/code-answer.ts reads `$LATEST` to tell).
  const retried = (s.attempts ?? 1) > 1;
  return new ConflictError(
    'FUNCTION_BUSY',
    withAwsMessage(`Lambda refused ${ctx.operation} on ${target} because another update is in progress`, s),
    {
      ...opts,
      context: { ...opts.context, ...(retried ? { retried: true } : {}) },
      hint: 'Wait for the other update to finish (LastUpdateStatus Successful), then retry.',
    },
  );
}

/**
 * A 412 to a write the SDK sent more than once: an earlier attempt may have been applied and
 * its answer lost (reset, timeout), so the 412 may be about our own write. The engine re-reads
 * the alias to tell (src/engine/alias-step.ts); a 412 on the first attempt is always someone else.
 */
function aliasChangedOnRetry(s: ErrorShape, ctx: AwsErrorContext, error: unknown): LshiftError {
  return new ConflictError(
    'ALIAS_CHANGED_ON_RETRY',
    `${ctx.operation} on ${describeTarget(ctx)} was retried after ${(s.attempts ?? 2) - 1} attempt(s) got no answer, and the retry met a RevisionId mismatch: the first attempt may have been applied.`,
    {
      context: contextOf(ctx),
      cause: error,
      hint: `Run \`lshift status ${ctx.functionName ?? '<function>'}\` to see what the alias holds now.`,
    },
  );
}

/**
 * The same for a function write that carries `$LATEST`'s RevisionId (PublishVersion,
 * UpdateFunctionCode): Lambda gives `$LATEST` a new RevisionId when it publishes a version, so
 * the SDK's retry of a PublishVersion that was applied meets a 412 about lshift's own publish
 * (found by a hostile pass: "Someone else changed function demo", exit 5, while nobody had).
 * The engine reads the versions to tell (src/engine/publish-answer.ts).
 */
function functionChangedOnRetry(s: ErrorShape, ctx: AwsErrorContext, error: unknown): LshiftError {
  return new ConflictError(
    'FUNCTION_CHANGED_ON_RETRY',
    `${ctx.operation} on ${describeTarget(ctx)} was retried after ${(s.attempts ?? 2) - 1} attempt(s) got no answer, and the retry met a RevisionId mismatch: the first attempt may have been applied (nobody else need have changed the function).`,
    {
      context: contextOf(ctx),
      cause: error,
      hint: `Run \`lshift status ${ctx.functionName ?? '<function>'}\` and \`aws lambda list-versions-by-function --function-name ${ctx.functionName ?? '<function>'}\` to see what it holds now; no alias was written.`,
    },
  );
}
