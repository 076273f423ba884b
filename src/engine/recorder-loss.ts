/**
 * What the deployment recorder (deployment-recorder.ts) says when its record was taken from it
 * or could not be written: who ended its hold, and what goes on without the write.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isEnded } from './record-view.js';

/**
 * Who ended this deployment's hold on its record (`ours`: as this runner holds it). `lshift alias`
 * and `lshift rollback` close the record and keep its owner — this runner's own — so the same
 * owner is another command, never "taken over by" this runner itself; an end reason `… by hand`
 * is `lshift alias` (closedByHand).
 */
export function describeLoss(ours: DeploymentRecord, other: DeploymentRecord): string {
  if (other.id !== ours.id)
    return `deployment ${other.id} by ${other.owner || 'an unknown owner'} replaced deployment ${ours.id} (${other.phase})`;
  if (other.endReason?.includes('by hand'))
    return `the alias was moved by hand (\`lshift alias\`): deployment ${other.id} was closed as ${other.phase} (${other.endReason})`;
  if (other.owner === ours.owner)
    return `deployment ${other.id} was ${isEnded(other) ? 'closed as' : 'set to'} ${other.phase} by another command (\`lshift rollback\`, \`lshift alias\`)`;
  return `deployment ${other.id} was taken over by ${other.owner || 'an unknown owner'} (${other.phase})`;
}

/** After an unwritten record: only a shift goes on; a closing phase leaves the previous one standing. */
export function whatGoesOn(phase: DeploymentRecord['phase']): string {
  if (phase === 'rolling-back') return 'the rollback continues';
  if (phase === 'promoted' || phase === 'rolled-back' || phase === 'failed') {
    return '`lshift status` shows the phase last written until `lshift rollback` (or a resume) closes it';
  }
  return 'the shift continues';
}
