/**
 * A fault-injecting HTTP proxy for tests, between the CLI and `lshift sandbox` (or any HTTP
 * upstream). Point the CLI at `proxy.url` (LSHIFT_SANDBOX, --endpoint-url): every request,
 * the sandbox clock's `/__lshift/clock` included, is forwarded unchanged unless a rule matches.
 *
 *   const proxy = await startFaultProxy(sandbox.url);
 *   proxy.arm({ match: { method: 'PUT', path: /\/aliases\/live$/ }, nth: 2, fault: 'drop' });
 *   await proxy.waitFor({ method: 'PUT', path: /\/aliases\/live$/ }, 2);   // an event, not a timer
 *
 * Faults (per rule; a rule fires on the nth matching request and the `times - 1` after it):
 *   drop   forward, let the upstream apply it and answer, then close the client's socket without
 *          a response (the write landed, the answer was lost)
 *   stall  accept and never answer (never forwarded) until `releaseStalled()` or `stop()`
 *   reset  destroy the client's socket at once (never forwarded)
 *   delay  forward after `delayMs` (for latency, never for ordering: tests wait on events)
 *   hold   keep the request until `releaseHeld()`, then forward it (puts the CLI inside a chosen
 *          AWS call: "a signal during publish" becomes an event, whatever the machine's speed)
 * Matching: method, path (string = exact path without query, or RegExp), `x-amz-target` (the
 * operation, e.g. `GraniteServiceVersion20100801.DescribeAlarms`, matched as a suffix), body
 * (RegExp or predicate on the raw body), or `where` (any predicate on method, path and target).
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ProxyMatch {
  method?: string;
  path?: string | RegExp;
  target?: string;
  body?: RegExp | ((body: string) => boolean);
  where?: (req: { method: string; path: string; target: string }) => boolean;
}

export type ProxyFault = 'drop' | 'stall' | 'reset' | 'hold' | { delayMs: number };

export interface ProxyRule {
  match: ProxyMatch;
  /** 1-based occurrence among matching requests (counted from when the rule is armed). Default 1. */
  nth?: number;
  /** How many matching requests from the nth on get the fault (Infinity: all). Default 1. */
  times?: number;
  fault: ProxyFault;
}

/** One request as the proxy handled it. `status` is the upstream's answer when it was forwarded. */
export interface ProxyEvent {
  method: string;
  path: string;
  target?: string;
  body: string;
  fault?: 'drop' | 'stall' | 'reset' | 'delay' | 'hold';
  status?: number;
}

interface ArmedRule extends ProxyRule {
  seen: number;
}

export interface FaultProxy {
  url: string;
  readonly events: readonly ProxyEvent[];
  arm(rule: ProxyRule): void;
  /** Resolves once `count` handled requests (forwarded, dropped, stalled or reset) match. */
  waitFor(match: ProxyMatch, count?: number): Promise<ProxyEvent>;
  /** Closes the sockets of stalled requests (the client sees a reset). */
  releaseStalled(): void;
  /** Resolves once `count` requests have been held by a `hold` rule. */
  waitForHeld(count?: number): Promise<ProxyEvent>;
  /** Disarms every `hold` rule and forwards the requests it held. */
  releaseHeld(): void;
  stop(): Promise<void>;
}

export function matches(m: ProxyMatch, e: Pick<ProxyEvent, 'method' | 'path' | 'target' | 'body'>): boolean {
  if (m.method && m.method.toUpperCase() !== e.method) return false;
  if (m.path !== undefined && !(typeof m.path === 'string' ? m.path === e.path : m.path.test(e.path))) {
    return false;
  }
  if (m.target !== undefined && !(e.target ?? '').endsWith(m.target)) return false;
  if (m.body !== undefined && !(typeof m.body === 'function' ? m.body(e.body) : m.body.test(e.body))) {
    return false;
  }
  if (m.where && !m.where({ method: e.method, path: e.path, target: e.target ?? '' })) return false;
  return true;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const rules: ArmedRule[] = [];
  const events: ProxyEvent[] = [];
  const waiters: { test: (e: ProxyEvent) => boolean; count: number; resolve: (e: ProxyEvent) => void }[] = [];
  const stalled = new Set<Socket>();
  let held: Array<() => void> = [];
  const sockets = new Set<Socket>();

  const record = (event: ProxyEvent): void => {
    events.push(event);
    for (const w of [...waiters]) {
      const hits = events.filter(w.test);
      if (hits.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hits[w.count - 1] as ProxyEvent);
      }
    }
  };

  const waitUntil = (test: (e: ProxyEvent) => boolean, count: number): Promise<ProxyEvent> => {
    const hits = events.filter(test);
    if (hits.length >= count) return Promise.resolve(hits[count - 1] as ProxyEvent);
    return new Promise((resolve) => waiters.push({ test, count, resolve }));
  };

  const pickFault = (e: Omit<ProxyEvent, 'fault' | 'status'>): ProxyFault | undefined => {
    for (const rule of rules) {
      if (!matches(rule.match, e)) continue;
      rule.seen++;
      const from = rule.nth ?? 1;
      if (rule.seen >= from && rule.seen < from + (rule.times ?? 1)) return rule.fault;
    }
    return undefined;
  };

  const forward = (
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (res) => {
          readBody(res).then(
            (b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }),
            reject,
          );
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const base = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      target: req.headers['x-amz-target'] as string | undefined,
      body: body.toString('utf8'),
    };
    const fault = pickFault(base);
    if (fault === 'reset') {
      req.socket.destroy();
      record({ ...base, fault: 'reset' });
      return;
    }
    if (fault === 'stall') {
      stalled.add(req.socket);
      record({ ...base, fault: 'stall' });
      return;
    }
    if (fault === 'hold') {
      const released = new Promise<void>((resolve) => held.push(resolve));
      record({ ...base, fault: 'hold' });
      await released;
    }
    if (typeof fault === 'object') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    let answer: Awaited<ReturnType<typeof forward>>;
    try {
      answer = await forward(req, body);
    } catch {
      res.writeHead(502).end();
      record({ ...base, status: 502 });
      return;
    }
    if (fault === 'drop') {
      req.socket.destroy();
      record({ ...base, fault: 'drop', status: answer.status });
      return;
    }
    const headers = { ...answer.headers };
    delete headers['transfer-encoding'];
    headers['content-length'] = String(answer.body.length);
    res.writeHead(answer.status, headers).end(answer.body);
    record({
      ...base,
      status: answer.status,
      ...(typeof fault === 'object' ? { fault: 'delay' as const } : {}),
    });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      stalled.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    events,
    arm(rule) {
      rules.push({ ...rule, seen: 0 });
    },
    waitFor: (match, count = 1) => waitUntil((e) => matches(match, e), count),
    waitForHeld: (count = 1) => waitUntil((e) => e.fault === 'hold', count),
    releaseHeld() {
      for (let i = rules.length - 1; i >= 0; i--) if (rules[i]?.fault === 'hold') rules.splice(i, 1);
      const go = held;
      held = [];
      for (const next of go) next();
    },
    releaseStalled() {
      for (const s of stalled) s.destroy();
      stalled.clear();
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
