/** What the deployment recorder (deployment-recorder.ts) is asked, and answers. */
import type { StoredRead } from './recorder-reads.js';

export interface RecordWriteOptions {
  /** This write follows our own successful alias write: skip the ownership read. */
  afterAliasWrite?: boolean;
  /**
   * The store as read moments ago in this same poll (operator-control.ts), so the ownership
   * check does not read it again (`null`: read, and held nothing; UNREADABLE: the read failed).
   */
  stored?: StoredRead;
  /** Ahead of routine requests in Lambda's queue (the mark of a failed release: release-restore.ts). */
  urgent?: boolean;
  /** A failure is not said: a retry of a record whose lag the hold said once (retryBehind). */
  quiet?: boolean;
  /**
   * Not written when its ownership read fails: a close that must not go over what it cannot see
   * (settle-conflict.ts closeMovedByHand — written blind, it replaced an operator's `rolled-back` record with
   * "moved by hand" under this runner's owner).
   */
  onlyIfRead?: boolean;
}

/** What found the function gone during the shift, and its words (goneDuringShift). */
export interface FoundGone {
  foundBy: 'read' | 'write';
  reason: string;
  /** The function found gone (the recorder's). */
  functionName: string;
}

/** How a write ended: stored, not stored (a warning was logged), or not tried (taken over). */
export type WriteEnd = 'landed' | 'unwritten' | 'lost';
