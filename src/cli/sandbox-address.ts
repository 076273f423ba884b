/**
 * Where `lshift sandbox` listens, as the user must read it: the address it is bound to, and a
 * URL that works. Bound to a wildcard (0.0.0.0, ::) it answers on every interface, but the
 * wildcard is no address to connect to: this machine uses the loopback URL, others one of its
 * own addresses.
 */
import { networkInterfaces } from 'node:os';

const WILDCARDS: Record<string, string> = { '0.0.0.0': 'all IPv4 interfaces', '::': 'all interfaces' };

/** `::1` → `[::1]`: an IPv6 address as it is written with a port. */
export function bracketHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The lines that say where it listens. `url` is the sandbox's own URL (the loopback address when
 * bound to a wildcard); `speed` is said on the first line.
 */
export function describeListenAddress(host: string, port: number, url: string, speed: string): string[] {
  const all = WILDCARDS[host];
  if (!all) return [`lshift sandbox listening on ${url} (${speed}).`];
  const others = reachableAddresses(host === '::').map((address) => `http://${address}:${port}`);
  return [
    `lshift sandbox listening on ${all}, port ${port} (${bracketHost(host)}:${port}; ${speed}).`,
    `Reach it at ${url} from this machine${others.length > 0 ? `, at ${others.join(' or ')} from others` : ''}.`,
  ];
}

/** This machine's own non-loopback addresses (a few), for a URL other machines may use. */
function reachableAddresses(withIpv6: boolean): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal)
    .filter((a) => a!.family === 'IPv4' || (withIpv6 && !a!.address.startsWith('fe80')))
    .map((a) => bracketHost(a!.address))
    .slice(0, 3);
}
