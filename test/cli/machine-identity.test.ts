import { readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { machineToken } from '../../src/cli/machine-identity.js';
import { describeOwner, hostRunOwner } from '../../src/cli/owner.js';
import { parseProcessOwner } from '../../src/domain/owner-mark.js';

const BOOT = '6a1f0c2e-9d7b-4c55-8e0a-1b2c3d4e5f60';
const files = (bootId: string, pidNamespace: string) => ({
  bootId: () => bootId,
  pidNamespace: () => pidNamespace,
});
const missing = () => {
  throw Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
};

describe('machineToken (boot id + pid namespace, hashed)', () => {
  it('is 8 hex digits that name neither input', () => {
    const token = machineToken(files(`${BOOT}\n`, 'pid:[4026531836]'));
    expect(token).toMatch(/^[0-9a-f]{8}$/);
    expect(BOOT).not.toContain(token);
  });

  it('is the same for the same boot and namespace, and differs for another container or another boot', () => {
    const here = machineToken(files(BOOT, 'pid:[4026531836]'));
    expect(machineToken(files(`${BOOT}\n`, 'pid:[4026531836]'))).toBe(here);
    expect(machineToken(files(BOOT, 'pid:[4026532301]'))).not.toBe(here);
    expect(machineToken(files('0c7d2b9e-0000-4c55-8e0a-1b2c3d4e5f60', 'pid:[4026531836]'))).not.toBe(here);
  });

  it.each([
    ['no boot id file (macOS, Windows)', { bootId: missing, pidNamespace: () => 'pid:[4026531836]' }],
    ['no pid namespace link', { bootId: () => BOOT, pidNamespace: missing }],
    ['an empty boot id', files('\n', 'pid:[4026531836]')],
  ])('is undefined with %s', (_what, machine) => {
    expect(machineToken(machine)).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')('on this Linux machine: the hash of its own /proc files', () => {
    const own = machineToken();
    expect(own).toBe(
      machineToken(
        files(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'), readlinkSync('/proc/self/ns/pid')),
      ),
    );
    expect(own).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('describeOwner with a machine token', () => {
  const noCi = { GITHUB_ACTIONS: '', GITLAB_CI: '' };
  it('writes user@host:pid/token, which parses back', () => {
    const owner = describeOwner(noCi, () => '3f9a1c2e');
    expect(parseProcessOwner(owner)).toMatchObject({ pid: process.pid, machine: '3f9a1c2e' });
  });

  it('writes user@host:pid where there is none', () => {
    const owner = describeOwner(noCi, () => undefined);
    expect(owner).toMatch(new RegExp(`:${process.pid}$`));
    expect(parseProcessOwner(owner)).toMatchObject({ pid: process.pid, machine: undefined });
  });

  it('a CI job stays named by its job', () => {
    const env = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'org/repo', GITHUB_RUN_ID: '12' };
    expect(describeOwner(env, () => '3f9a1c2e')).toBe('gha:org/repo/12');
  });

  it("a host of several runs in one process names each run's own process; the pid is this process's again after", () => {
    try {
      hostRunOwner(() => 4242);
      expect(parseProcessOwner(describeOwner(noCi, () => '3f9a1c2e'))).toMatchObject({ pid: 4242 });
    } finally {
      hostRunOwner(undefined);
    }
    expect(parseProcessOwner(describeOwner(noCi, () => '3f9a1c2e'))).toMatchObject({ pid: process.pid });
  });
});
