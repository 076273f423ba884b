/**
 * Whether a write that failed may have been carried out all the same: its answer never came (a
 * timeout, a connection cut mid-request, Ctrl-C while in flight), or AWS failed inside it (5xx).
 * Then where the alias was seen before that write is only where it was last seen. A refusal AWS
 * made before acting (access denied, expired credentials, a throttle, a 412) changed nothing, and
 * neither did a request that was never sent (`notApplied`: connection refused, one attempt).
 */
import { isLshiftError } from '../domain/errors.js';

const UNANSWERED = new Set(['NETWORK_ERROR', 'INTERRUPTED', 'AWS_ERROR']);

export function mayHaveLanded(error: unknown): boolean {
  if (!isLshiftError(error)) return true;
  if (error.context.notApplied) return false;
  return UNANSWERED.has(error.code);
}
