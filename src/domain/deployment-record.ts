/**
 * The deployment record (DESIGN.md §6, issue 6), stored on the function as the tag
 * `lshift:<alias>`. Tag values are at most 256 characters, so its codec keeps it compact and
 * versioned. The parts live in their own files; this one is the record's public face, so its
 * many importers need not know how it is split:
 * - record-types.ts: the record and its phases;
 * - record-tag.ts: the tag's key, its size limit, the command that deletes it;
 * - record-encode.ts: the format, and writing a record within the limit (what is dropped for room);
 * - record-decode.ts: reading it back (RECORD_CORRUPT for anything that does not read exactly);
 * - record-judged.ts: `aj=`, up to when the deployment's alarm polls judged (for `check`);
 * - record-text.ts: escaping, numbers and the corrupt-record error both sides share;
 * - record-owner.ts: the owner as a record keeps it;
 * - record-cause.ts: `y=`, why lshift itself rolled the deployment back;
 * - deployment-ids.ts: deployment and release ids.
 */
export { createDeploymentId, createReleaseId, isReleaseId } from './deployment-ids.js';
export { type RecordCause, recordCauseOf } from './record-cause.js';
export { decodeRecord } from './record-decode.js';
export { assertCommandRoom, describeReasonRoom, encodeRecord, keepsCommandReason } from './record-encode.js';
export { MAX_JUDGED_GAP_SECONDS } from './record-judged.js';
export { recordableOwner } from './record-owner.js';
export {
  describeClearRecordCommand,
  MAX_TAG_VALUE_LENGTH,
  RECORD_FORMAT_VERSION,
  RECORD_TAG_PREFIX,
  recordTagKey,
} from './record-tag.js';
export type { DecodeRecordContext } from './record-text.js';
export type { DeploymentPhase, DeploymentRecord } from './record-types.js';
