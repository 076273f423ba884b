/**
 * HTTP_PROXY / HTTPS_PROXY / NO_PROXY end to end (built CLI): the endpoint is
 * `http://sandbox.invalid:<port>`, a name no resolver knows (RFC 6761), which only the CONNECT
 * proxy of test/helpers/connect-proxy.ts reaches (it tunnels every CONNECT to the sandbox). So a
 * command that succeeds went through the proxy, and one that did not use it fails with ENOTFOUND.
 * --endpoint-url and static keys in the environment, not LSHIFT_SANDBOX: the SDK's own chain signs,
 * and a loopback endpoint is never proxied. Nothing here waits on a timer.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectProxy, startConnectProxy } from '../helpers/connect-proxy.js';
import { runCli } from '../helpers/run-cli.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * With a space, which a URL takes (as %20) but which ends the user part the output's own
 * maskUserinfo looks for: only lshift's masking of the proxy URL keeps it out of the messages.
 */
const PASSWORD = 'hunter2 proxy-pw';
/** Not printed in any form. */
const SECRET = /hunter2/;
/** `.invalid` never resolves: NXDOMAIN, or EAI_AGAIN on a machine with no resolver at all. */
const NOT_RESOLVED = /ENOTFOUND|EAI_AGAIN/;

let sb: SandboxEnv;
let endpoint = '';
let target = '';
beforeAll(async () => {
  sb = await startSandboxEnv({ speed: 600 });
  target = `sandbox.invalid:${sb.handle.port}`;
  endpoint = `http://${target}`;
});
afterAll(() => sb.stop());

let proxy: ConnectProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

async function startProxy(options?: { requireAuth?: string }): Promise<ConnectProxy> {
  proxy = await startConnectProxy({ host: sb.handle.host, port: sb.handle.port }, options);
  return proxy;
}

/** The proxy's URL with `userinfo@` before its host. */
function withUser(url: string, userinfo: string): string {
  return url.replace('://', `://${userinfo}@`);
}

const BASE_ENV: NodeJS.ProcessEnv = {
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLEPROXY',
  AWS_SECRET_ACCESS_KEY: 'not-a-real-secret-proxy',
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
  AWS_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_ENDPOINT_URL: '',
  LSHIFT_SANDBOX: undefined,
  // Whatever the machine running the tests sets: each test says which proxy it means.
  HTTPS_PROXY: '',
  https_proxy: '',
  HTTP_PROXY: '',
  http_proxy: '',
  NO_PROXY: '',
  no_proxy: '',
  ALL_PROXY: '',
  all_proxy: '',
};

function status(env: NodeJS.ProcessEnv) {
  return runCli(['status', 'demo', '--endpoint-url', endpoint, '--json'], { env: { ...BASE_ENV, ...env } });
}

describe('HTTP_PROXY and NO_PROXY (built CLI, an endpoint reached only through the proxy)', () => {
  it('without a proxy the endpoint cannot be resolved: NETWORK_ERROR (ENOTFOUND)', async () => {
    const run = await status({});
    expect(run.code, run.stderr).toBe(1);
    const out = JSON.parse(run.stdout);
    expect(out.code).toBe('NETWORK_ERROR');
    expect(out.message).toContain(`Could not reach ${endpoint}`);
    expect(out.message).toMatch(NOT_RESOLVED);
    expect(out.message).not.toContain('through the proxy');
  });

  it('with HTTP_PROXY every call goes through it (CONNECT sandbox.invalid:<port>) and status answers', async () => {
    const p = await startProxy();
    const run = await status({ HTTP_PROXY: p.url });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ functionName: 'demo' });
    expect(p.targets.length).toBeGreaterThan(0);
    expect(new Set(p.targets)).toEqual(new Set([target]));
  });

  it('http_proxy wins over HTTP_PROXY', async () => {
    const p = await startProxy();
    const run = await status({ http_proxy: p.url, HTTP_PROXY: 'http://127.0.0.1:1' });
    expect(run.code, run.stderr).toBe(0);
    expect(p.targets).toContain(target);
  });

  it('NO_PROXY=.invalid: not proxied (the proxy sees nothing and the name does not resolve)', async () => {
    const p = await startProxy();
    const run = await status({ HTTP_PROXY: p.url, NO_PROXY: 'example.com,.invalid' });
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'NETWORK_ERROR' });
    expect(run.stdout).toMatch(NOT_RESOLVED);
    expect(p.targets).toEqual([]);
  });

  it('HTTPS_PROXY alone is not used for an http:// endpoint', async () => {
    const p = await startProxy();
    const run = await status({ HTTPS_PROXY: p.url });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(NOT_RESOLVED);
    expect(p.targets).toEqual([]);
  });

  it.each([
    ['no credentials', (url: string) => url],
    ['wrong credentials', (url: string) => withUser(url, `lshift:${PASSWORD}`)],
  ])(
    'a proxy that wants credentials, given %s: NETWORK_ERROR naming HTTP 407, no password printed',
    async (_, url) => {
      const p = await startProxy({ requireAuth: 'lshift:right-one' });
      const run = await status({ HTTP_PROXY: url(p.url) });
      expect(run.code, run.stderr).toBe(1);
      const out = JSON.parse(run.stdout);
      expect(out.code).toBe('NETWORK_ERROR');
      expect(out.message).toContain(`Could not reach ${endpoint} through the proxy`);
      expect(out.message).toContain('(HTTP_PROXY)');
      expect(out.message).toContain('the proxy answered HTTP 407 to its CONNECT');
      expect(out.hint).toContain('The proxy wants credentials');
      expect(p.targets).toContain(target);
      expect(`${run.stdout}${run.stderr}`).not.toMatch(SECRET);
      expect(`${run.stdout}${run.stderr}`).not.toContain('right-one');
    },
  );

  it('a proxy that wants credentials, given them in the URL: status answers, the password never printed', async () => {
    const p = await startProxy({ requireAuth: `lshift:${PASSWORD}` });
    const run = await runCli(['status', 'demo', '--endpoint-url', endpoint, '--debug'], {
      env: { ...BASE_ENV, HTTP_PROXY: withUser(p.url, `lshift:${PASSWORD}`) },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(p.targets).toContain(target);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(SECRET);
  });

  it('HTTP_PROXY=socks5://…: PROXY_INVALID, exit 2, the password masked, nothing sent', async () => {
    const before = sb.handle.state.operationCounts.get('GetAlias') ?? 0;
    const run = await status({ HTTP_PROXY: `socks5://lshift:${PASSWORD}@127.0.0.1:1080` });
    expect(run.code, run.stderr).toBe(2);
    const out = JSON.parse(run.stdout);
    expect(out.code).toBe('PROXY_INVALID');
    expect(out.message).toContain('HTTP_PROXY=socks5://***@127.0.0.1:1080');
    expect(`${run.stdout}${run.stderr}`).not.toMatch(SECRET);
    expect(sb.handle.state.operationCounts.get('GetAlias') ?? 0).toBe(before);
  });

  // Port 0 was taken as given: NETWORK_ERROR after 3 attempts, exit 1, "check the network".
  it('HTTP_PROXY on port 0: PROXY_INVALID, exit 2, naming the variable, nothing sent', async () => {
    const before = sb.handle.state.operationCounts.get('GetAlias') ?? 0;
    const run = await status({ HTTP_PROXY: `http://lshift:${PASSWORD}@127.0.0.1:0` });
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      code: 'PROXY_INVALID',
      message: 'HTTP_PROXY=http://***@127.0.0.1:0 names port 0, which nothing listens on.',
    });
    expect(`${run.stdout}${run.stderr}`).not.toMatch(SECRET);
    expect(sb.handle.state.operationCounts.get('GetAlias') ?? 0).toBe(before);
  });

  // all-at-once holds 100% for 0s and there is no --bake: nothing waits on the clock, whose
  // speed (the CLI follows the real one, not the sandbox's, without LSHIFT_SANDBOX) is moot.
  it('deploys and promotes through the proxy (every call tunnelled)', async () => {
    const p = await startProxy();
    const run = await runCli(
      [
        'deploy',
        'demo',
        '--endpoint-url',
        endpoint,
        '--strategy',
        'all-at-once',
        '--alarm',
        'demo-errors',
        '--json',
      ],
      { env: { ...BASE_ENV, HTTP_PROXY: p.url } },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'promoted' });
    expect((await sb.status()).functionVersion).toBe('2');
    expect(new Set(p.targets)).toEqual(new Set([target]));
  });
});
