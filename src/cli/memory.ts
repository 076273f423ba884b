/**
 * Peak memory of a release of many functions. With 100 functions the CLI keeps little alive
 * (a heap snapshot mid-shift: 30 MB after a full GC, 9 MB of it compiled code) but allocates
 * fast (every function's polls, record reads and writes, events), and V8 lets its old generation
 * grow to several times the live size before collecting it: the fleet bench's peak RSS was about
 * 245 MB. V8's `--optimize-for-size` makes its heap grow more slowly (it favours memory over
 * speed); it is consulted as the heap grows, so setting it when a release starts takes effect
 * (measured: docs/releases.md, "The fleet bench"). No heap LIMIT is set: a limit would turn a
 * big release into an out-of-memory crash in the middle of a shift.
 */
import { setFlagsFromString } from 'node:v8';

export function favourMemoryOverSpeed(): void {
  setFlagsFromString('--optimize-for-size');
}
