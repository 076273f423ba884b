/** The sandbox's control endpoint (docs/sandbox.md), for e2e tests that hold a request in flight. */
import { waitUntil } from '../helpers/wait-until.js';
import type { SandboxEnv } from './sandbox-env.js';

export async function control(sandbox: SandboxEnv, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${sandbox.handle.url}/__lshift/${path}`, {
    method: path === 'health' ? 'GET' : 'POST',
    ...(path === 'health' ? {} : { body: JSON.stringify(body) }),
  });
  return response.json();
}

/** Resolves once a request waits at the sandbox's gate. */
export async function untilHeld(sandbox: SandboxEnv): Promise<void> {
  await waitUntil(
    async () => ((await control(sandbox, 'health', undefined)) as { held: number }).held > 0,
    'a request held at the sandbox',
    50,
  );
}
