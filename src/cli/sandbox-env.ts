/**
 * `LSHIFT_SANDBOX=<url>`: a running `lshift sandbox` that every command talks to, and whose
 * clock it follows.
 */
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { echoFirstBytes, echoInput } from '../domain/echo.js';
import { OperationError, UsageError } from '../domain/errors.js';
import { isFetchBlockedPort } from '../domain/fetch-blocked-ports.js';
import { maskUserinfo } from '../domain/hook-spec.js';
import { namesPortZero, PORT_ZERO_PROBLEM } from '../domain/port-zero.js';
import type { ClockOrigin } from './clocks.js';

const CLOCK_TIMEOUT_MS = 5_000;
const MAX_CLOCK_BYTES = 64 * 1024;

/**
 * `LSHIFT_SANDBOX=<url>` points every command at a running `lshift sandbox` and makes it
 * follow the sandbox's (possibly compressed) clock, read once at start.
 */
export async function readSandboxFromEnv(
  timeoutMs = CLOCK_TIMEOUT_MS,
  /** Ctrl-C: the read is abandoned at once (INTERRUPTED), not waited out to its deadline. */
  interrupt?: AbortSignal,
): Promise<{ url: string; clock: ClockOrigin; fromEnv: true } | undefined> {
  const url = process.env.LSHIFT_SANDBOX?.trim();
  if (url === '') refuseBlankSandbox();
  if (!url) return undefined;
  assertSandboxUrl(url);
  try {
    const text = await getText(new URL('/__lshift/clock', url), timeoutMs, interrupt);
    return { url, clock: asClock(parseClock(text)), fromEnv: true };
  } catch (error) {
    if (interrupt?.aborted) {
      throw new OperationError(
        'INTERRUPTED',
        `Reading the sandbox's clock (LSHIFT_SANDBOX=${url}) was abandoned: lshift was interrupted.`,
        { hint: 'It only read: nothing was changed.' },
      );
    }
    throw new OperationError(
      'SANDBOX_UNREACHABLE',
      // The URL has no userinfo (assertSandboxUrl); the mask guards the error text all the same.
      maskUserinfo(
        isForeignAnswer(error)
          ? `LSHIFT_SANDBOX is set to ${url} but what answers there is not an lshift sandbox (${whyNotAnswered(error)}).`
          : `LSHIFT_SANDBOX is set to ${url} but no sandbox answers there (${whyNotAnswered(error)}).`,
      ),
      {
        hint: isForeignAnswer(error)
          ? 'Another program answers on that port: set LSHIFT_SANDBOX to the export line `lshift sandbox` printed (its port), or unset LSHIFT_SANDBOX to talk to AWS.'
          : 'Start one with `lshift sandbox` and use the export line it prints, or unset LSHIFT_SANDBOX to talk to AWS.',
      },
    );
  }
}

/**
 * `LSHIFT_SANDBOX=$SB` with SB unset in a script: read as unset, every call went to AWS with
 * whatever credentials the shell holds (found by a hostile pass). Refused, as `--config ""` and
 * `--profile ""` are: an empty setting is a mistake, not a choice of the default.
 */
function refuseBlankSandbox(): never {
  throw new UsageError('SANDBOX_URL_INVALID', 'LSHIFT_SANDBOX is set but empty.', {
    hint: 'Set it to the URL `lshift sandbox` prints (LSHIFT_SANDBOX=http://127.0.0.1:4566) to use the sandbox, or unset it (`unset LSHIFT_SANDBOX`) to talk to AWS.',
  });
}

/**
 * `lshift sandbox` prints `http://127.0.0.1:<port>` and checks no credentials, so a user name or
 * password in LSHIFT_SANDBOX is a mistake (or a secret pasted in the wrong place): refused, masked.
 */
export function assertSandboxUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const shown = echoInput(maskUserinfo(url));
  if (!parsed && /^https?:\/\//i.test(url)) {
    // `http://256.1.1.1:4566`, `http://127.0.0.1:99999`: an http URL whose host or port is not one
    // (found by a hostile pass: "is not an http(s) URL" named the wrong part).
    throw new UsageError(
      'SANDBOX_URL_INVALID',
      `LSHIFT_SANDBOX (${shown}) is not a valid URL: its host or port cannot be one (a port is 1–65535).`,
      {
        hint: 'Use the export line `lshift sandbox` prints, e.g. LSHIFT_SANDBOX=http://127.0.0.1:4566, or unset it to talk to AWS.',
      },
    );
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
    throw new UsageError('SANDBOX_URL_INVALID', `LSHIFT_SANDBOX (${shown}) is not an http(s) URL.`, {
      hint: 'Use the export line `lshift sandbox` prints, e.g. LSHIFT_SANDBOX=http://127.0.0.1:4566, or unset it to talk to AWS.',
    });
  }
  if (parsed.username || parsed.password) {
    throw new UsageError(
      'SANDBOX_URL_INVALID',
      `LSHIFT_SANDBOX (${shown}) carries a user name or password; the sandbox takes none.`,
      { hint: `Drop the part before @: LSHIFT_SANDBOX=${parsed.protocol}//${parsed.host}` },
    );
  }
  // The clock probe asks the root, but the SDKs would prefix every call with the path, which the
  // sandbox does not serve: each call would fail as an unknown operation, not as this mistake.
  if (parsed.pathname !== '/' && parsed.pathname !== '') {
    throw new UsageError(
      'SANDBOX_URL_INVALID',
      `LSHIFT_SANDBOX (${shown}) has a path; the sandbox answers at its root only.`,
      { hint: `Drop the path: LSHIFT_SANDBOX=${parsed.protocol}//${parsed.host}` },
    );
  }
  if (namesPortZero(parsed)) {
    throw new UsageError(
      'SANDBOX_URL_INVALID',
      `LSHIFT_SANDBOX (${shown}) ${PORT_ZERO_PROBLEM} (\`lshift sandbox --port 0\` picks a free port and prints it).`,
      { hint: 'Use the export line `lshift sandbox` prints, with the port it chose.' },
    );
  }
  if (parsed.port !== '' && isFetchBlockedPort(Number(parsed.port))) {
    throw new UsageError(
      'SANDBOX_URL_INVALID',
      `LSHIFT_SANDBOX (${shown}) is on port ${parsed.port}, which Node's fetch refuses (the Fetch standard blocks it): no sandbox can be reached there.`,
      {
        hint: 'Start the sandbox on another port (`lshift sandbox --port 4566`) and use the export line it prints.',
      },
    );
  }
}

/**
 * The body of a GET that answered 200. Node's own http, not `fetch`: every command in sandbox mode
 * reads the clock first, and `fetch` would load undici (~30 ms of CPU a start; the SDK talks
 * through node:http anyway). The deadline covers the whole exchange, the body included.
 */
async function getText(url: URL, timeoutMs: number, interrupt?: AbortSignal): Promise<string> {
  // Static imports: the bundle runs without a dynamic import() (src/cli/bundle-launcher.ts), and the
  // SDK's http handler loads both modules anyway.
  const get = url.protocol === 'https:' ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    const request = get(url, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        const type = response.headers['content-type']?.split(';')[0];
        reject(
          foreign(
            `HTTP ${response.statusCode}${type ? ` ${echoInput(type, 60)}` : ''} to GET /__lshift/clock`,
          ),
        );
        return;
      }
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        // A clock is ~100 bytes; without a bound, a server streaming hundreds of MB ended in a
        // RangeError and a stack trace (found by a hostile pass).
        if (body.length > MAX_CLOCK_BYTES)
          request.destroy(
            new Error(`the answer is longer than ${MAX_CLOCK_BYTES / 1024} KiB: not a sandbox clock`),
          );
      });
      response.on('end', () => resolve(body));
      response.on('error', reject);
    });
    const deadline = setTimeout(
      () => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    const abandon = () => request.destroy(new Error('interrupted'));
    interrupt?.addEventListener('abort', abandon, { once: true });
    if (interrupt?.aborted) abandon();
    request.on('close', () => {
      clearTimeout(deadline);
      interrupt?.removeEventListener('abort', abandon);
    });
    request.on('error', reject);
  });
}

/**
 * Something answered, not as the sandbox does (found by a garbage-input pass: a TCP server writing
 * garbage was "no sandbox answers there (Parse Error: Expected HTTP/, RTSP/ or ICE/)", an HTML
 * page a JSON parser's "Unexpected token '<'").
 */
function foreign(message: string): Error {
  return Object.assign(new Error(message), { foreignAnswer: true });
}

function isForeignAnswer(error: unknown): boolean {
  const { foreignAnswer, code } = error as { foreignAnswer?: unknown; code?: unknown };
  return foreignAnswer === true || (typeof code === 'string' && code.startsWith('HPE_'));
}

function parseClock(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw foreign(
      `its answer to GET /__lshift/clock is not JSON: it began \`${echoFirstBytes(Buffer.from(text))}\``,
    );
  }
}

/**
 * Node 20 tries IPv6 and IPv4 for a name like `localhost` and, when both are refused, throws an
 * AggregateError whose own message is empty: its parts say why.
 */
export function whyNotAnswered(error: unknown): string {
  const { message, code, errors } = error as { message?: string; code?: string; errors?: unknown[] };
  // OpenSSL's own text (`…:error:0A00010B:SSL routines:…wrong version number:…`), several lines.
  if (code === 'EPROTO') return 'no TLS answer there: if it is `lshift sandbox`, use http://, not https://';
  if (code?.startsWith('HPE_')) {
    const raw = (error as { rawPacket?: unknown }).rawPacket;
    const began = raw instanceof Uint8Array && raw.length > 0 ? `; it began \`${echoFirstBytes(raw)}\`` : '';
    return `its reply is not HTTP, ${code}${began}`;
  }
  if (message) return message.split('\n')[0]!.trim();
  if (Array.isArray(errors) && errors.length > 0) return errors.map(whyNotAnswered).join('; ');
  return code ?? String(error);
}

/** The clock's three numbers, or the error that says the answer is not a sandbox clock. */
function asClock(answer: unknown): ClockOrigin {
  const clock = (typeof answer === 'object' && answer !== null ? answer : {}) as Partial<ClockOrigin>;
  const { simOriginMs, realOriginMs, speed } = clock;
  if (![simOriginMs, realOriginMs, speed].every(Number.isFinite) || (speed ?? 0) <= 0) {
    throw new Error('the clock answer is malformed');
  }
  return { simOriginMs, realOriginMs, speed } as ClockOrigin;
}
