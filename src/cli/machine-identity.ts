/**
 * The token that tells which machine and pid namespace a `user@host:pid` owner belongs to
 * (src/domain/owner-mark.ts). On Linux: the kernel's boot id, new at every boot of one kernel
 * (https://man7.org/linux/man-pages/man4/random.4.html, /proc/sys/kernel/random/boot_id), and
 * the pid namespace this process lives in, named by the inode of /proc/self/ns/pid
 * (https://man7.org/linux/man-pages/man7/namespaces.7.html). Two containers on one host share
 * the boot id but not the pid namespace (unless started with the host's, where their pids are
 * indeed one table); two hosts or VMs differ in boot id. Both are hashed and cut to 8 hex digits
 * so that the record says nothing about the machine. Elsewhere (macOS, Windows, a Linux without
 * /proc) there is none: undefined.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';

/** The two reads, injectable so that tests can play another machine or one without /proc. */
export interface MachineFiles {
  bootId(): string;
  pidNamespace(): string;
}

const procFiles: MachineFiles = {
  bootId: () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'),
  // A symlink whose target names the namespace: `pid:[4026531836]`.
  pidNamespace: () => readlinkSync('/proc/self/ns/pid'),
};

let cached: { token: string | undefined } | undefined;

/** This process's machine token (read once), or undefined where the files cannot be read. */
export function machineToken(files: MachineFiles = procFiles): string | undefined {
  if (files === procFiles && cached) return cached.token;
  const token = computeToken(files);
  if (files === procFiles) cached = { token };
  return token;
}

function computeToken(files: MachineFiles): string | undefined {
  let bootId: string;
  let namespace: string;
  try {
    bootId = files.bootId().trim();
    namespace = files.pidNamespace().trim();
  } catch {
    return undefined;
  }
  if (bootId === '' || namespace === '') return undefined;
  return createHash('sha256').update(`${bootId}\n${namespace}`).digest('hex').slice(0, 8);
}
