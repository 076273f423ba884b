/**
 * `lshift rollback --release`'s call signal (interrupts.ts abortWhileListing): a Ctrl-C aborts the
 * calls in flight during a listing of the functions in reach, never during the claims and alias
 * writes between (those finish, as a single rollback's write does).
 */
import { describe, expect, it } from 'vitest';
import { abortWhileListing } from '../../src/cli/interrupts.js';

describe('abortWhileListing', () => {
  it('a Ctrl-C during the first listing aborts the calls', () => {
    const interrupt = new AbortController();
    const calls = abortWhileListing(interrupt.signal);
    interrupt.abort();
    expect(calls.signal.aborted).toBe(true);
  });

  it('a Ctrl-C during the writes does not; the listing after, begun, does', () => {
    const interrupt = new AbortController();
    const calls = abortWhileListing(interrupt.signal);
    calls.listing(false);
    interrupt.abort();
    expect(calls.signal.aborted).toBe(false);
    calls.listing(true);
    expect(calls.signal.aborted).toBe(true);
  });

  it('a Ctrl-C during the listing after the writes aborts the calls', () => {
    const interrupt = new AbortController();
    const calls = abortWhileListing(interrupt.signal);
    calls.listing(false);
    calls.listing(true);
    interrupt.abort();
    expect(calls.signal.aborted).toBe(true);
  });
});
