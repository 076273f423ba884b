import { describe, expect, it } from 'vitest';
import { fetchBlockedPorts, isFetchBlockedPort } from '../../src/domain/fetch-blocked-ports.js';

/** The reason this Node's fetch gives for a port it will not even try ('bad port'), or undefined. */
async function refusal(port: number): Promise<string | undefined> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    return undefined;
  } catch (error) {
    return ((error as Error).cause as Error | undefined)?.message;
  }
}

describe('ports Node fetch refuses (the Fetch standard port blocking)', () => {
  it('lists exactly the ports this Node refuses, none it would try', async () => {
    const listed = fetchBlockedPorts();
    expect(listed).toHaveLength(82);
    for (const port of listed) expect(await refusal(port), `port ${port}`).toBe('bad port');
    for (const port of [0, 4, 4566, 4599, 8080, 65535]) {
      expect(isFetchBlockedPort(port), `port ${port}`).toBe(false);
      if (port > 0) expect(await refusal(port), `port ${port}`).not.toBe('bad port');
    }
  });
});
