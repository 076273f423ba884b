/**
 * The warning of an abort sent without its `--reason` (operator-refusals.ts fitReason). It said
 * only "it takes 30 characters of deployment d-…'s record, which has room for 24": not which
 * reason was lost (the warning is the only place it is still written), nor what took the room — on
 * a CI runner, mostly its 64-character owner — nor how short a reason would have been kept.
 */
import { printable } from '../domain/printable.js';
import type { DroppedReason } from '../engine/operator-send-types.js';

export function describeReasonDropped(deploymentId: string, d: DroppedReason): string {
  const chars = (n: number) => `${n} character${n === 1 ? '' : 's'}`;
  const owner =
    d.ownerChars > 0
      ? `its runner's owner takes ${chars(d.ownerChars)} of them (kept ahead of the reason: lshift judges by it who runs the deployment and whether that run is alive), the rest the deployment's state and newest history`
      : "the deployment's state and newest history take the rest";
  const fits =
    d.room > 0
      ? `; a reason of at most ${chars(d.room)} (letters, digits and _ : / = @ - take 1 each, a space, a dot or any other character 3 or more) would have been kept`
      : '';
  return `Warning: --reason was not recorded: "${printable(d.reason)}" takes ${chars(d.takes)} of deployment ${deploymentId}'s record, which has room for ${d.room}: the record is one 256-character tag, and ${owner}. The abort was sent without it (an abort is never refused for its reason)${fits}.`;
}
