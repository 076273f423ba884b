/**
 * Which HTTP proxy, if any, lshift's AWS calls to one endpoint go through: HTTPS_PROXY for an
 * https endpoint (AWS's own), HTTP_PROXY for an http one (LocalStack, a sandbox), unless NO_PROXY
 * names the host — the variables the AWS CLI and curl read. The JavaScript SDK reads none of them
 * and wants an agent given to it (https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-proxies.html);
 * src/aws/proxy-agent.ts makes it. Pure.
 *
 * The rules, as curl documents them (https://curl.se/docs/manpage.html#--noproxy) and the AWS CLI
 * follows through Python's urllib: the lower-case variable wins over the upper-case one; a proxy
 * without a scheme is http://; NO_PROXY is a comma- or space-separated list of host names (a name
 * matches itself and every name below it; a leading `.` or `*.` is the same), IP addresses,
 * optionally with `:port`, or `*` for every host. Not read: ALL_PROXY (often a SOCKS proxy, which
 * lshift cannot use: a shell that sets it for other tools must not break lshift) and CIDR ranges.
 * A loopback endpoint (a sandbox on this machine) is never proxied: a proxy elsewhere cannot reach
 * this machine's loopback.
 */
import { UsageError } from './errors.js';
import { namesPortZero, PORT_ZERO_PROBLEM } from './port-zero.js';

export type ProxyEnv = Readonly<Record<string, string | undefined>>;

export interface ProxyChoice {
  /** The proxy's URL, with a scheme (http: or https:). Never printed whole: it may carry a password. */
  url: string;
  /** The variable it came from (`HTTPS_PROXY`, `https_proxy`…), for messages. */
  variable: string;
}

/** The proxy for calls to `endpoint` (an http(s) URL), or undefined to go direct. */
export function chooseProxy(endpoint: string, env: ProxyEnv): ProxyChoice | undefined {
  const target = new URL(endpoint);
  const scheme = target.protocol === 'http:' ? 'http' : 'https';
  const variable = [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`].find((name) => env[name]?.trim());
  if (!variable) return undefined;
  const host = hostOf(target);
  if (isLoopback(host)) return undefined;
  const port = Number(target.port) || (scheme === 'http' ? 80 : 443);
  if (bypassesProxy(host, port, noProxyList(env))) return undefined;
  return { url: proxyUrl(env[variable]!.trim(), variable), variable };
}

/** A proxy URL lshift can use: an http(s) URL; a bare `host:port` means http://host:port. */
function proxyUrl(raw: string, variable: string): string {
  const url = raw.includes('://') ? raw : `http://${raw}`;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const usable = parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname;
  // hpagent connected to port 0 as given: "Could not reach … through the proxy http://…:0 …
  // ECONNREFUSED", exit 1, after 3 attempts, with a hint to check the network (hostile pass).
  if (usable && namesPortZero(parsed!)) {
    throw new UsageError('PROXY_INVALID', `${variable}=${maskProxyUrl(raw)} ${PORT_ZERO_PROBLEM}.`, {
      hint: `Give the port the proxy listens on (\`export ${variable}=http://proxy.example.com:3128\`). To reach AWS without it, unset it for this command (\`env -u ${variable} lshift …\`) or add the host to NO_PROXY.`,
    });
  }
  if (usable) return url;
  throw new UsageError(
    'PROXY_INVALID',
    `${variable}=${maskProxyUrl(raw)} is not an http(s) proxy URL lshift can use.`,
    {
      hint: `Set it to the proxy's URL (\`export ${variable}=http://proxy.example.com:3128\`); lshift talks to HTTP and HTTPS proxies, not SOCKS. To reach AWS without it, unset it for this command (\`env -u ${variable} lshift …\`) or add the host to NO_PROXY.`,
    },
  );
}

/**
 * A proxy URL fit to print: everything between the scheme and the last `@` masked
 * (`http://***@proxy:3128`). Not maskUserinfo: a password typed raw may hold `/`, `?`, `#` or a
 * space, which end a URL's user part early and would leave the rest of it shown.
 */
export function maskProxyUrl(raw: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(raw)?.[0] ?? '';
  const rest = raw.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  const hostAndMore = at < 0 ? rest : rest.slice(at + 1);
  // A path or query may carry a token too (`/p?token=…`: a hostile pass saw it printed): cut.
  const host = hostAndMore.split(/[/?#]/, 1)[0] ?? '';
  const cut = host.length < hostAndMore.length ? '/…' : '';
  return `${scheme}${at < 0 ? '' : '***@'}${host}${cut}`;
}

function noProxyList(env: ProxyEnv): string[] {
  const raw = env['no_proxy']?.trim() || env['NO_PROXY']?.trim() || '';
  return raw
    .toLowerCase()
    .split(/[\s,]+/)
    .filter((entry) => entry !== '');
}

/** Whether a NO_PROXY entry names `host` (lower-case, IPv6 without brackets) on `port`. */
function bypassesProxy(host: string, port: number, entries: readonly string[]): boolean {
  return entries.some((entry) => {
    if (entry === '*') return true;
    const { name: written, entryPort } = splitPort(entry);
    const name = withoutFinalDot(written);
    if (entryPort !== undefined && entryPort !== port) return false;
    // An address names itself only: `0.0.1` must not take `10.0.0.1` off the proxy.
    if (isIpAddress(name) || isIpAddress(host)) return host === name;
    const domain = name.replace(/^\*?\./, '');
    return host === domain || host.endsWith(`.${domain}`);
  });
}

function isIpAddress(text: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(text) || text.includes(':');
}

/** `host:port`, `[v6]:port`, `v6` (a bare IPv6 address has colons and no port). */
function splitPort(entry: string): { name: string; entryPort?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1]!, ...portOf(bracketed[2]) };
  const hostPort = /^([^:]+):(\d+)$/.exec(entry);
  if (hostPort) return { name: hostPort[1]!, ...portOf(hostPort[2]) };
  return { name: entry };
}

function portOf(digits: string | undefined): { entryPort?: number } {
  return digits === undefined ? {} : { entryPort: Number(digits) };
}

/** Lower-case, IPv6 without brackets, and without a fully-qualified name's final dot (`vm.`). */
function hostOf(url: URL): string {
  return withoutFinalDot(url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1'));
}

function withoutFinalDot(name: string): string {
  return name.length > 1 && name.endsWith('.') ? name.slice(0, -1) : name;
}

/**
 * This machine, which no proxy elsewhere can reach: localhost, 127.0.0.0/8, ::1, the unspecified
 * addresses (a connection to 0.0.0.0 or :: reaches this machine on Linux and macOS) and 127/8
 * mapped into IPv6 (`[::ffff:127.0.0.1]`, which the URL parser writes `::ffff:7f00:1`).
 */
function isLoopback(host: string): boolean {
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host) ||
    ['::1', '0:0:0:0:0:0:0:1', '0.0.0.0', '::', '0:0:0:0:0:0:0:0'].includes(host)
  );
}
