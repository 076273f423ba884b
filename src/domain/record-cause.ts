/**
 * Why lshift itself rolled a deployment back (a health gate failed, a hook failed, an operator
 * aborted…), kept in its record as the optional key `y=` so `lshift status` can say so after the
 * run that decided it is gone. A CodeDeploy-engine record `lshift wait` or `lshift check` closes
 * as rolled back gets one too, from how CodeDeploy said it ended (engine/codedeploy-end-cause.ts). Not `endReason` (`r=`): that one says lshift did NOT end the
 * deployment (`moved by hand`), and callers rely on its absence meaning that lshift did.
 *
 *   y=<code>[.<part>…]    e.g. y=GATE_FAILED.alarms.analysis, y=HOOK_FAILED.pre, y=OPERATOR_ABORTED
 *
 * The code is one of the result's stable cause codes (outcome.ts); the parts are the gates of
 * GATE_FAILED and INCONCLUSIVE, and the hook phase of HOOK_FAILED, escaped like the record's other
 * texts (`.` too, so the parts split on it). Informational only: nothing acts on it, so the codec
 * drops it for room (record-encode.ts) and a reader ignores one it cannot read (decodeCause).
 */
import type { OutcomeCause, OutcomeCode } from './outcome.js';
import { escapeText, unescapeText } from './record-text.js';

/**
 * The causes a deployment rolls itself back for (settle-rollback.ts), `lshift check` rolls one
 * back for, and a CodeDeploy deployment's end names (codedeploy-end-cause.ts). The others describe how a rollback itself ended, or a stop that writes its own end
 * (`r=`): never a record's `y=`.
 */
export const RECORD_CAUSE_CODES = [
  'GATE_FAILED',
  'INCONCLUSIVE',
  'HEALTH_UNREADABLE',
  'HOOK_FAILED',
  'OPERATOR_ABORTED',
  'INTERRUPTED',
  'WEIGHT_WRITE_FAILED',
  'WARM_NOT_READY',
  'SETTLE_FAILED',
  'RECORD_UNWRITTEN',
  'FUNCTION_DELETED',
  'STOPPED_IN_CODEDEPLOY',
  'ROLLBACK_UNFINISHED',
  'INTERNAL',
  'RECORD_UNREAD',
  // `lshift rollback` (a person's) that met a split by someone else and left it (rollback-hand-close.ts).
  'ROLLBACK_REQUESTED',
  // A release that met an alias moved by someone else (a function's own split: settle.ts
  // closeMovedByHand; its other functions, rolled back for it: their rollback's cause).
  'ALIAS_CHANGED',
] as const satisfies readonly OutcomeCode[];

export type RecordCauseCode = (typeof RECORD_CAUSE_CODES)[number];

export const HOOK_PHASES = ['pre', 'step', 'post'] as const;
export type RecordHookPhase = (typeof HOOK_PHASES)[number];

export interface RecordCause {
  code: RecordCauseCode;
  /** GATE_FAILED, INCONCLUSIVE: the gates that failed or gave no verdict (`alarms`, `analysis`…). */
  gates?: string[];
  /** HOOK_FAILED: the phase of the hook that failed. */
  phase?: RecordHookPhase;
  /**
   * INTERRUPTED (`y=INTERRUPTED.hand`), GATE_FAILED and INCONCLUSIVE (`y=GATE_FAILED.alarms.hand`,
   * its last part): the stop of its CodeDeploy deployment found the alias moved by hand a moment
   * before, and the rollback put all traffic back over that move.
   */
  overHandMove?: true;
}

/** The `y=` part of `overHandMove`. */
const HAND_PART = 'hand';

function isRecordCauseCode(code: string): code is RecordCauseCode {
  return (RECORD_CAUSE_CODES as readonly string[]).includes(code);
}

function isHookPhase(phase: string): phase is RecordHookPhase {
  return (HOOK_PHASES as readonly string[]).includes(phase);
}

/** What a record keeps of a result's cause; undefined for a cause no record's `y=` names. */
export function recordCauseOf(cause: OutcomeCause | undefined): RecordCause | undefined {
  if (cause === undefined || !isRecordCauseCode(cause.code)) return undefined;
  if (cause.code === 'GATE_FAILED' || cause.code === 'INCONCLUSIVE') {
    const gates = cause.data.gates.filter((g) => g.length > 0 && g !== HAND_PART);
    const hand = cause.data.movedByHand ? { overHandMove: true as const } : {};
    return gates.length > 0 ? { code: cause.code, gates, ...hand } : { code: cause.code, ...hand };
  }
  if (cause.code === 'HOOK_FAILED' && isHookPhase(cause.data.phase))
    return { code: cause.code, phase: cause.data.phase };
  if (cause.code === 'INTERRUPTED' && cause.data.movedByHand) return { code: cause.code, overHandMove: true };
  return { code: cause.code };
}

/**
 * ` y=…` forms to try, richest first, then the bare code: the encoder keeps the first that fits
 * (record-encode.ts). A partial gate list is never written: "alarms failed" when analysis failed
 * too would say less than the truth as if it were all of it.
 */
export function causeCandidates(cause: RecordCause | undefined): string[] {
  if (cause === undefined) return [];
  const parts = [...(cause.gates ?? (cause.phase === undefined ? [] : [cause.phase]))];
  if (cause.overHandMove) parts.push(HAND_PART);
  const bare = ` y=${cause.code}`;
  if (parts.length === 0) return [bare];
  const joined = (ps: string[]) => `${bare}.${ps.map((p) => escapeText(p, '.')).join('.')}`;
  // No room for the hand part: the gates alone, then the bare code.
  const withoutHand = cause.overHandMove && parts.length > 1 ? [joined(parts.slice(0, -1))] : [];
  return [joined(parts), ...withoutHand, bare];
}

/**
 * Reads a `y=` value back; undefined when it is not one this lshift writes — an unknown code (a
 * newer lshift's), parts that do not fit its code, bad escapes. Ignored rather than RECORD_CORRUPT
 * on purpose: the field only explains, nothing acts on it, and a refused record blocks `rollback`,
 * `check` and `--resume` of a deployment whose safety fields read fine. Said as nothing rather
 * than guessed at: `status` then says no more than for a record without it.
 */
export function decodeCause(text: string): RecordCause | undefined {
  const [code, ...raw] = text.split('.');
  if (code === undefined || !isRecordCauseCode(code)) return undefined;
  const parts = raw.map(unescapePart);
  if (parts.some((p) => p === undefined || p.length === 0)) return undefined;
  const texts = parts as string[];
  if (code === 'GATE_FAILED' || code === 'INCONCLUSIVE') {
    // A last part `hand` is the person's move its stop ran over (no gate is named so); older records have none.
    const hand = texts[texts.length - 1] === HAND_PART;
    const gates = hand ? texts.slice(0, -1) : texts;
    return { code, ...(gates.length > 0 ? { gates } : {}), ...(hand ? { overHandMove: true as const } : {}) };
  }
  if (code === 'HOOK_FAILED') {
    const [phase, ...more] = texts;
    if (phase === undefined) return { code };
    return more.length === 0 && isHookPhase(phase) ? { code, phase } : undefined;
  }
  if (code === 'INTERRUPTED' && texts.length === 1 && texts[0] === HAND_PART)
    return { code, overHandMove: true };
  return texts.length === 0 ? { code } : undefined;
}

/** A part as the record's other texts read back (printable), or undefined when badly escaped. */
function unescapePart(text: string): string | undefined {
  try {
    return unescapeText(text, text, {});
  } catch {
    return undefined;
  }
}
