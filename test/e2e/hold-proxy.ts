/**
 * A pass-through HTTP proxy in front of the sandbox that can hold matching requests until the
 * test releases them: "the CLI is inside this AWS call now" becomes an event the test waits for,
 * so a signal lands in a chosen phase (publish, preflight, rollback) whatever the machine's speed.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldRequest {
  method: string;
  path: string;
  /** CloudWatch's operation (`x-amz-target`), when there is one. */
  target: string;
}

export interface HoldProxy {
  url: string;
  /** From now on, requests for which `match` is true wait until `release()`. */
  hold(match: (req: HeldRequest) => boolean): void;
  /** Resolves with the first request held since `hold` was called. */
  firstHeld(): Promise<HeldRequest>;
  /** Lets every held request through and stops holding. */
  release(): void;
  stop(): Promise<void>;
}

export async function startHoldProxy(upstream: string): Promise<HoldProxy> {
  const base = new URL(upstream);
  let match: ((req: HeldRequest) => boolean) | undefined;
  let waiting: Array<() => void> = [];
  let onHeld: ((req: HeldRequest) => void) | undefined;
  let heldFirst: Promise<HeldRequest> = new Promise(() => {});

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const out = request(
      { host: base.hostname, port: base.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };

  const server = createServer((req, res) => {
    const seen: HeldRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      target: String(req.headers['x-amz-target'] ?? ''),
    };
    if (match?.(seen)) {
      req.pause();
      waiting.push(() => {
        req.resume();
        forward(req, res);
      });
      onHeld?.(seen);
      onHeld = undefined;
      return;
    }
    forward(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hold(rule) {
      match = rule;
      heldFirst = new Promise((resolve) => {
        onHeld = resolve;
      });
    },
    firstHeld: () => heldFirst,
    release() {
      match = undefined;
      const go = waiting;
      waiting = [];
      for (const next of go) next();
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
