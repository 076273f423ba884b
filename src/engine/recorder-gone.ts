/**
 * Whether the deployment recorder (deployment-recorder.ts) found its function gone — a write or
 * a read of its record answered FUNCTION_NOT_FOUND — and in which phase: the first finding only,
 * said once (recorder-loss.ts).
 */
import { describeFunctionDeleted } from '../domain/deletion-words.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { FoundGone } from './deployment-recorder-types.js';

export class FunctionGoneNote {
  /** The phase of the first write (or read) that found the function gone. */
  private missingIn?: DeploymentRecord['phase'];
  private missingFoundBy?: 'write' | 'read';

  constructor(private readonly functionName: string) {}

  /** Something already found the function gone. */
  get found(): boolean {
    return this.missingIn !== undefined;
  }

  /** The first finding is kept; later ones change nothing. */
  note(by: 'write' | 'read', phase: DeploymentRecord['phase']): void {
    if (this.missingIn !== undefined) return;
    this.missingIn = phase;
    this.missingFoundBy = by;
  }

  /** Found by a write or read of the shift, before any rollback (DeploymentRecorder.foundMissingBeforeRollback). */
  foundBeforeRollback(): boolean {
    return this.missingIn !== undefined && this.missingIn !== 'rolling-back';
  }

  /** What found it gone during the shift, and its words (DeploymentRecorder.goneDuringShift). */
  duringShift(): FoundGone | undefined {
    if (!this.foundBeforeRollback()) return undefined;
    const foundBy = this.missingFoundBy ?? 'write';
    // The words of its FUNCTION_DELETED cause (deletion-words.ts): its progress lines said the raw
    // "found function fb gone (FUNCTION_NOT_FOUND)" before the result put it plainly.
    const reason = describeFunctionDeleted({ foundBy, functionName: this.functionName }, true);
    return { foundBy, reason, functionName: this.functionName };
  }
}
