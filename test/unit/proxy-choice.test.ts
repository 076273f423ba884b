import { describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../../src/domain/errors.js';
import { chooseProxy, maskProxyUrl, type ProxyEnv } from '../../src/domain/proxy-choice.js';

const AWS = 'https://lambda.us-east-1.amazonaws.com';
const SANDBOX = 'http://sandbox.example:4566';

describe('chooseProxy: which variable, for which endpoint', () => {
  const cases: {
    title: string;
    endpoint: string;
    env: ProxyEnv;
    want?: { url: string; variable: string };
  }[] = [
    { title: 'nothing set: direct', endpoint: AWS, env: {} },
    {
      title: 'an https endpoint takes HTTPS_PROXY',
      endpoint: AWS,
      env: { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://other:8080' },
      want: { url: 'http://proxy:3128', variable: 'HTTPS_PROXY' },
    },
    {
      title: 'an http endpoint takes HTTP_PROXY',
      endpoint: SANDBOX,
      env: { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://other:8080' },
      want: { url: 'http://other:8080', variable: 'HTTP_PROXY' },
    },
    {
      title: 'an https endpoint ignores HTTP_PROXY',
      endpoint: AWS,
      env: { HTTP_PROXY: 'http://other:8080' },
    },
    {
      title: 'an http endpoint ignores HTTPS_PROXY',
      endpoint: SANDBOX,
      env: { HTTPS_PROXY: 'http://proxy:3128' },
    },
    {
      title: 'https_proxy wins over HTTPS_PROXY',
      endpoint: AWS,
      env: { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' },
      want: { url: 'http://lower:1', variable: 'https_proxy' },
    },
    {
      title: 'http_proxy wins over HTTP_PROXY',
      endpoint: SANDBOX,
      env: { http_proxy: 'http://lower:1', HTTP_PROXY: 'http://upper:2' },
      want: { url: 'http://lower:1', variable: 'http_proxy' },
    },
    {
      title: 'a blank lower-case variable counts as unset: the upper-case one is used',
      endpoint: AWS,
      env: { https_proxy: '  ', HTTPS_PROXY: 'http://upper:2' },
      want: { url: 'http://upper:2', variable: 'HTTPS_PROXY' },
    },
    { title: 'blank values only: direct', endpoint: AWS, env: { https_proxy: '', HTTPS_PROXY: ' \t' } },
    {
      title: 'a bare host:port means http://',
      endpoint: AWS,
      env: { HTTPS_PROXY: 'proxy.corp:3128' },
      want: { url: 'http://proxy.corp:3128', variable: 'HTTPS_PROXY' },
    },
    {
      title: 'spaces around the value are dropped',
      endpoint: AWS,
      env: { HTTPS_PROXY: '  http://proxy:3128  ' },
      want: { url: 'http://proxy:3128', variable: 'HTTPS_PROXY' },
    },
    {
      title: 'an https:// proxy is kept as it is',
      endpoint: AWS,
      env: { HTTPS_PROXY: 'https://proxy:443' },
      want: { url: 'https://proxy:443', variable: 'HTTPS_PROXY' },
    },
    {
      title: 'user and password in the URL are kept (for the proxy to check)',
      endpoint: AWS,
      env: { HTTPS_PROXY: 'http://me:s3cret@proxy:3128' },
      want: { url: 'http://me:s3cret@proxy:3128', variable: 'HTTPS_PROXY' },
    },
    {
      title: 'ALL_PROXY is not read',
      endpoint: AWS,
      env: { ALL_PROXY: 'http://proxy:3128', all_proxy: 'socks5://proxy:1080' },
    },
    {
      title: 'ALL_PROXY set to SOCKS beside HTTPS_PROXY changes nothing',
      endpoint: AWS,
      env: { ALL_PROXY: 'socks5://proxy:1080', HTTPS_PROXY: 'http://proxy:3128' },
      want: { url: 'http://proxy:3128', variable: 'HTTPS_PROXY' },
    },
  ];

  it.each(cases)('$title', ({ endpoint, env, want }) => {
    expect(chooseProxy(endpoint, env)).toEqual(want);
  });
});

describe('chooseProxy: loopback endpoints are never proxied', () => {
  it.each([
    'http://localhost:4566',
    'http://LOCALHOST:4566',
    'https://sandbox.localhost',
    'http://127.0.0.1:4566',
    'http://127.10.20.30:9000',
    'http://[::1]:4566',
    'https://[0:0:0:0:0:0:0:1]:4566',
    // Found by a hostile pass: each of these went to the proxy, which cannot reach this machine.
    'http://localhost.:4566',
    'http://sandbox.localhost.:4566',
    'http://0.0.0.0:4566',
    'http://[::]:4566',
    'http://[::ffff:127.0.0.1]:4566',
    'http://[::ffff:127.1.2.3]:4566',
  ])('%s', (endpoint) => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://proxy:3128' };
    expect(chooseProxy(endpoint, env)).toBeUndefined();
  });

  it('not loopback: a name that only starts like it', () => {
    const env = { HTTP_PROXY: 'http://proxy:3128' };
    expect(chooseProxy('http://localhost.example.com', env)).toMatchObject({ variable: 'HTTP_PROXY' });
    expect(chooseProxy('http://128.0.0.1', env)).toMatchObject({ variable: 'HTTP_PROXY' });
    expect(chooseProxy('http://[::ffff:128.0.0.1]', env)).toMatchObject({ variable: 'HTTP_PROXY' });
    expect(chooseProxy('http://[::2]', env)).toMatchObject({ variable: 'HTTP_PROXY' });
  });

  it('a loopback endpoint is direct even when the proxy would be refused', () => {
    expect(chooseProxy('http://127.0.0.1:4566', { HTTP_PROXY: 'socks5://proxy:1080' })).toBeUndefined();
  });
});

describe('chooseProxy: NO_PROXY', () => {
  const PROXY = { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://proxy:3128' };
  const cases: { noProxy: string; endpoint: string; bypass: boolean }[] = [
    { noProxy: 'lambda.us-east-1.amazonaws.com', endpoint: AWS, bypass: true },
    { noProxy: 'LAMBDA.US-EAST-1.AMAZONAWS.COM', endpoint: AWS, bypass: true },
    { noProxy: 'amazonaws.com', endpoint: AWS, bypass: true },
    { noProxy: '.amazonaws.com', endpoint: AWS, bypass: true },
    { noProxy: '*.amazonaws.com', endpoint: AWS, bypass: true },
    { noProxy: '.amazonaws.com', endpoint: 'https://amazonaws.com', bypass: true },
    // A suffix only at a dot: `zonaws.com` is not `amazonaws.com`.
    { noProxy: 'zonaws.com', endpoint: AWS, bypass: false },
    { noProxy: 'example.com', endpoint: AWS, bypass: false },
    { noProxy: 'lambda.us-east-1.amazonaws.com.cn', endpoint: AWS, bypass: false },
    { noProxy: '*', endpoint: AWS, bypass: true },
    { noProxy: 'example.com, *', endpoint: AWS, bypass: true },
    // Ports: the endpoint's, or its scheme's default.
    { noProxy: 'amazonaws.com:443', endpoint: AWS, bypass: true },
    { noProxy: 'amazonaws.com:8443', endpoint: AWS, bypass: false },
    { noProxy: 'sandbox.example:4566', endpoint: SANDBOX, bypass: true },
    { noProxy: 'sandbox.example:80', endpoint: SANDBOX, bypass: false },
    { noProxy: 'sandbox.example:80', endpoint: 'http://sandbox.example', bypass: true },
    // IP addresses, v4 and v6, with and without a port.
    { noProxy: '10.0.0.5', endpoint: 'http://10.0.0.5:4566', bypass: true },
    { noProxy: '10.0.0.5:4566', endpoint: 'http://10.0.0.5:4566', bypass: true },
    { noProxy: '10.0.0.5:80', endpoint: 'http://10.0.0.5:4566', bypass: false },
    { noProxy: '10.0.0.6', endpoint: 'http://10.0.0.5:4566', bypass: false },
    // An address names itself only, never a suffix of another.
    { noProxy: '0.0.5', endpoint: 'http://10.0.0.5:4566', bypass: false },
    { noProxy: '.0.0.5', endpoint: 'http://10.0.0.5:4566', bypass: false },
    { noProxy: '::1', endpoint: 'http://[fd00::1]:4566', bypass: false },
    { noProxy: 'fd00::1', endpoint: 'http://[fd00::1]:4566', bypass: true },
    { noProxy: '[fd00::1]', endpoint: 'http://[fd00::1]:4566', bypass: true },
    { noProxy: '[fd00::1]:4566', endpoint: 'http://[fd00::1]:4566', bypass: true },
    { noProxy: '[fd00::1]:80', endpoint: 'http://[fd00::1]:4566', bypass: false },
    { noProxy: 'fd00::2', endpoint: 'http://[fd00::1]:4566', bypass: false },
    // Separators: commas, spaces, both, and empty entries.
    { noProxy: 'example.com,amazonaws.com', endpoint: AWS, bypass: true },
    { noProxy: 'example.com amazonaws.com', endpoint: AWS, bypass: true },
    { noProxy: ' example.com ,  amazonaws.com , ', endpoint: AWS, bypass: true },
    { noProxy: ',,', endpoint: AWS, bypass: false },
    { noProxy: '', endpoint: AWS, bypass: false },
    // A bare dot or `*.` names no host.
    { noProxy: '.', endpoint: AWS, bypass: false },
    { noProxy: '*.', endpoint: AWS, bypass: false },
    // CIDR ranges are not read.
    { noProxy: '10.0.0.0/8', endpoint: 'http://10.0.0.5:4566', bypass: false },
    // A fully-qualified name's final dot, in the entry or the endpoint, names the same host.
    { noProxy: 'vm.', endpoint: 'http://vm:4566', bypass: true },
    { noProxy: 'vm', endpoint: 'http://vm.:4566', bypass: true },
    { noProxy: 'amazonaws.com.', endpoint: AWS, bypass: true },
    { noProxy: 'sandbox.example.:4566', endpoint: 'http://sandbox.example.:4566', bypass: true },
  ];

  it.each(cases)('NO_PROXY=$noProxy for $endpoint: bypass $bypass', ({ noProxy, endpoint, bypass }) => {
    const choice = chooseProxy(endpoint, { ...PROXY, NO_PROXY: noProxy });
    if (bypass) expect(choice).toBeUndefined();
    else expect(choice).toMatchObject({ url: 'http://proxy:3128' });
  });

  it('no_proxy wins over NO_PROXY; a blank no_proxy counts as unset', () => {
    expect(chooseProxy(AWS, { ...PROXY, no_proxy: 'example.com', NO_PROXY: 'amazonaws.com' })).toBeDefined();
    expect(
      chooseProxy(AWS, { ...PROXY, no_proxy: 'amazonaws.com', NO_PROXY: 'example.com' }),
    ).toBeUndefined();
    expect(chooseProxy(AWS, { ...PROXY, no_proxy: ' ', NO_PROXY: 'amazonaws.com' })).toBeUndefined();
  });

  it('a host NO_PROXY names is direct even when the proxy would be refused', () => {
    expect(
      chooseProxy(AWS, { HTTPS_PROXY: 'socks5://proxy:1080', NO_PROXY: 'amazonaws.com' }),
    ).toBeUndefined();
  });
});

describe('chooseProxy: PROXY_INVALID', () => {
  function refusal(env: ProxyEnv, endpoint = AWS): UsageError {
    try {
      chooseProxy(endpoint, env);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return error as UsageError;
    }
    throw new Error(`chooseProxy accepted ${JSON.stringify(env)}`);
  }

  it.each([
    [{ HTTPS_PROXY: 'socks5://proxy:1080' }, 'HTTPS_PROXY=socks5://proxy:1080'],
    [{ https_proxy: 'socks5h://proxy:1080' }, 'https_proxy=socks5h://proxy:1080'],
    [{ HTTPS_PROXY: 'socks4://proxy:1080' }, 'HTTPS_PROXY=socks4://proxy:1080'],
    [{ HTTPS_PROXY: 'ftp://proxy:21' }, 'HTTPS_PROXY=ftp://proxy:21'],
    [{ HTTPS_PROXY: 'not a proxy' }, 'HTTPS_PROXY=not a proxy'],
    [{ HTTPS_PROXY: 'http://' }, 'HTTPS_PROXY=http://'],
    [{ HTTPS_PROXY: 'http://proxy:port' }, 'HTTPS_PROXY=http://proxy:port'],
    [{ HTTPS_PROXY: 'http://proxy:99999' }, 'HTTPS_PROXY=http://proxy:99999'],
  ])('%j → PROXY_INVALID, exit 2, naming %s', (env, named) => {
    const error = refusal(env);
    expect(error.code).toBe('PROXY_INVALID');
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(named);
    expect(error.hint).toContain('not SOCKS');
  });

  // hpagent connected to port 0 as given: exit 1 after 3 attempts, "check the network" (hostile pass).
  it.each([
    [{ HTTPS_PROXY: 'http://proxy.example.com:0' }, 'HTTPS_PROXY=http://proxy.example.com:0'],
    [{ https_proxy: 'https://proxy:00/' }, 'https_proxy=https://proxy:00/…'],
    [{ HTTPS_PROXY: 'proxy:0' }, 'HTTPS_PROXY=proxy:0'],
    [{ HTTPS_PROXY: 'http://me:hunter2pw@proxy:0' }, 'HTTPS_PROXY=http://***@proxy:0'],
  ])('%j names port 0 → PROXY_INVALID, exit 2', (env, named) => {
    const error = refusal(env);
    expect(error.code).toBe('PROXY_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`${named} names port 0, which nothing listens on.`);
    expect(error.hint).toContain('Give the port the proxy listens on');
    expect(`${error.message} ${error.hint}`).not.toContain('hunter2');
  });

  it('port 0 in a proxy NO_PROXY takes the endpoint off is never looked at', () => {
    expect(chooseProxy(AWS, { HTTPS_PROXY: 'http://proxy:0', NO_PROXY: '.amazonaws.com' })).toBeUndefined();
  });

  it('names HTTP_PROXY for an http endpoint', () => {
    const error = refusal({ HTTP_PROXY: 'socks5://proxy:1080' }, SANDBOX);
    expect(error.message).toContain('HTTP_PROXY=socks5://proxy:1080');
    expect(error.hint).toContain('export HTTP_PROXY=http://');
  });

  it.each([
    'socks5://me:hunter2pw@proxy:1080',
    'socks5h://hunter2pw@proxy:1080',
    'me:hunter2pw@proxy:port',
    'http://me:hunter2pw@proxy:port',
    // A password with characters a URL cannot hold raw: the URL breaks before its `@`.
    'http://me:hunter2pw/x@proxy:3128',
    'http://me:hunter2pw#x@proxy:3128',
    'http://me:hunter2pw?x@proxy:3128',
  ])('never prints the password of %s', (raw) => {
    const error = refusal({ HTTPS_PROXY: raw });
    expect(error.code).toBe('PROXY_INVALID');
    expect(`${error.message} ${error.hint}`).not.toContain('hunter2');
    expect(error.message).toContain('***@');
  });
});

describe('maskProxyUrl', () => {
  it.each([
    ['http://proxy:3128', 'http://proxy:3128'],
    ['http://me:hunter2pw@proxy:3128', 'http://***@proxy:3128'],
    ['me:hunter2pw@proxy:3128', '***@proxy:3128'],
    // Everything up to the last `@`, whatever a raw password holds.
    ['http://me:hunter2@pw@proxy:3128', 'http://***@proxy:3128'],
    ['http://me:hunter2 pw@proxy:3128', 'http://***@proxy:3128'],
    ['http://me:hunter2/pw@proxy:3128', 'http://***@proxy:3128'],
    ['http://me:hunter2#pw@proxy:3128', 'http://***@proxy:3128'],
    // A path or query may carry a token (a hostile pass saw `?token=…` printed).
    ['http://127.0.0.1:4748/p?token=secretq', 'http://127.0.0.1:4748/…'],
    ['http://me:pw@proxy:3128/?t=s', 'http://***@proxy:3128/…'],
    ['proxy:3128#frag', 'proxy:3128/…'],
  ])('%s → %s', (raw, shown) => {
    expect(maskProxyUrl(raw)).toBe(shown);
  });
});
