/**
 * `deploy orders billing --resume` of a release whose functions were on different aliases
 * (billing on `prod`, orders on `live`, from a config file), run without that file: one alias
 * applies to every function named. The NOT_IN_RELEASE hint said "leave it out: resume the release
 * with `lshift deploy orders billing --resume`" — the command just refused, billing not left out;
 * the CONFLICTING_FLAGS hint named the same command and a rollback without an alias, neither of
 * which works without the file (found by a hostile pass, session 59).
 */
import { describe, expect, it } from 'vitest';
import { refuseUnnamedMembers } from '../../src/cli/release-resume-members.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { LshiftError } from '../../src/domain/errors.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeLambda } from '../helpers/fake-lambda.js';

const RELEASE = 'r-z2ubd6';

function shifting(): DeploymentRecord {
  return {
    id: 'd-dead01',
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'canary:10%:5m',
    stepIndex: 1,
    percent: 10,
    phase: 'shifting',
    startedAt: 0,
    owner: 'ci@runner:7',
    heartbeatAt: 0,
    history: [],
    releaseId: RELEASE,
  };
}

/** orders:live and billing:prod of one release, split at 10%, their runner dead. */
async function releaseOnTwoAliases() {
  const lambda = new FakeLambda(new FakeClock());
  const store = new TagStateStore(lambda);
  for (const [fn, alias] of [
    ['orders', 'live'],
    ['billing', 'prod'],
  ] as const) {
    lambda.addFunction(fn);
    lambda.addVersion(fn);
    lambda.addVersion(fn);
    lambda.addAlias(fn, alias, '1', { '2': 0.1 });
    await store.write(fn, alias, shifting());
  }
  return lambda;
}

async function refusal(run: Promise<void>): Promise<LshiftError> {
  return run.then(
    () => {
      throw new Error('not refused');
    },
    (e: unknown) => e as LshiftError,
  );
}

const PER_ALIAS =
  '`lshift rollback --release r-z2ubd6 orders --alias live` and `lshift rollback --release r-z2ubd6 billing --alias prod`';

describe('deploy --resume of a release on different aliases, without the config file', () => {
  it('orders alone: CONFLICTING_FLAGS, its hint says the config file resumes it and rolls back once per alias', async () => {
    const lambda = await releaseOnTwoAliases();
    const error = await refusal(refuseUnnamedMembers(lambda, [{ functionName: 'orders', alias: 'live' }]));
    expect(error.code).toBe('CONFLICTING_FLAGS');
    expect(error.hint).toBe(
      "Name every function of the release: `lshift deploy orders billing --resume` (with the first run's --alarm, hook and --bake flags) with the config file that gave each function its alias (orders:live, billing:prod), in its directory or with --config <file>: one --alias applies to every function named, so no command line without that file resumes them together, " +
        `or roll it all back: ${PER_ALIAS}.`,
    );
  });

  it('orders and billing at live: NOT_IN_RELEASE names billing’s alias prod, not "leave it out" of the same command', async () => {
    const lambda = await releaseOnTwoAliases();
    const error = await refusal(
      refuseUnnamedMembers(lambda, [
        { functionName: 'orders', alias: 'live' },
        { functionName: 'billing', alias: 'live' },
      ]),
    );
    expect(error.code).toBe('NOT_IN_RELEASE');
    expect(error.message).toBe(
      'Function billing has no deployment record at alias live: its record of release r-z2ubd6 is at alias prod (shifting at 10%). Nothing was taken over.',
    );
    expect(error.hint).not.toContain('leave it out');
    expect(error.hint).toMatch(
      /^Name billing at its alias prod: resume the release with `lshift deploy orders billing --resume` .* with the config file that gave each function its alias \(orders:live, billing:prod\)/,
    );
    expect(error.hint).toContain(`or roll it back with ${PER_ALIAS}.`);
  });
});
