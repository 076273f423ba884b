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

/**
 * `speed 60×: a simulated minute takes 1 real second`: the real time said in the unit a reader
 * pictures (ms under a second, minutes when whole), its noun agreeing with the number.
 */
export function describeSpeed(speed: number): string {
  return `speed ${speed}×: a simulated minute takes ${realTime(60 / speed)}`;
}

function realTime(seconds: number): string {
  if (seconds < 1) return `${round2(seconds * 1000)} real ms`;
  const minutes = seconds / 60;
  if (seconds >= 60 && Number.isInteger(round2(minutes))) return counted(round2(minutes), 'real minute');
  return counted(round2(seconds), 'real second');
}

function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function round2(n: number): number {
  return Number(n.toFixed(2));
}
