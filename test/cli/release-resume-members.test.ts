/**
 * `deploy fa fb --resume` of a killed release that also had fc. Seen against the sandbox
 * (kill -9 at 40%, then `deploy fa fb --resume`): fa and fb were promoted, "Release r-… promoted:
 * 2 functions" (exit 0), and fc stayed split at 40% with a stale record, driven by nobody — a
 * release's records name the release, not its other functions, so the resume never knew of fc.
 */
import { describe, expect, it } from 'vitest';
import {
  LISTING_NOTICE,
  refuseLoneMemberResume,
  refuseUnnamedMembers,
  reportListing,
} from '../../src/cli/release-resume-members.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { LshiftError } from '../../src/domain/errors.js';
import type { EngineEvent } from '../../src/domain/events.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeLambda } from '../helpers/fake-lambda.js';

function record(releaseId: string | undefined, overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: 'd-dead01',
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'linear:20%:5m',
    stepIndex: 1,
    percent: 40,
    phase: 'shifting',
    startedAt: 0,
    owner: 'ci@runner:7',
    heartbeatAt: 0,
    history: [],
    ...(releaseId === undefined ? {} : { releaseId }),
    ...overrides,
  };
}

async function world(records: Record<string, DeploymentRecord | undefined>) {
  const lambda = new FakeLambda(new FakeClock());
  const store = new TagStateStore(lambda);
  for (const [fn, r] of Object.entries(records)) {
    lambda.addFunction(fn);
    lambda.addVersion(fn);
    lambda.addVersion(fn);
    lambda.addAlias(fn, 'live', '1', { '2': 0.4 });
    if (r) await store.write(fn, 'live', r);
  }
  return lambda;
}

const live = (...names: string[]) => names.map((functionName) => ({ functionName, alias: 'live' }));

async function refusal(run: Promise<void>): Promise<LshiftError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LshiftError);
  return error as LshiftError;
}

describe('refuseUnnamedMembers (deploy <functions…> --resume of a release)', () => {
  it('refuses when another function of the release has an unfinished record, naming it and both ways on', async () => {
    const lambda = await world({ fa: record('r-abc123'), fb: record('r-abc123'), fc: record('r-abc123') });
    const before = lambda.calls.length;
    const error = await refusal(refuseUnnamedMembers(lambda, live('fa', 'fb')));
    expect(error.code).toBe('CONFLICTING_FLAGS');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('fc:live (shifting at 40%)');
    expect(error.message).toContain('Release r-abc123');
    expect(error.hint).toContain('lshift deploy fa fb fc --resume');
    expect(error.hint).toContain('lshift rollback --release r-abc123 fa fb fc');
    // Nothing was written: the refusal only read.
    expect(lambda.calls.slice(before).map((c) => c.op)).not.toContain('tagResource');
    expect(lambda.calls.slice(before).map((c) => c.op)).not.toContain('updateAlias');
  });

  // `deploy ordres mailer --resume` (a typo of orders): CONFLICTING_FLAGS, "Release … has another
  // function …: orders:live", its hint `lshift deploy ordres mailer orders --resume` repeating the
  // typo — not the NOT_IN_RELEASE docs/releases.md promises (found by a docs audit).
  it('a name that is no function in reach: NOT_IN_RELEASE, its hint naming only the functions of the release', async () => {
    const lambda = await world({
      orders: record('r-abc123'),
      mailer: record('r-abc123'),
      billing: record('r-abc123', { phase: 'rolled-back', percent: 0 }),
    });
    const error = await refusal(refuseUnnamedMembers(lambda, live('ordres', 'mailer', 'billing')));
    expect(error.code).toBe('NOT_IN_RELEASE');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      'Function ordres does not exist in this account and region, so it is no function of release r-abc123 to resume: mistyped, or deleted since the release started (its deployment record with it). Nothing was taken over.',
    );
    expect(error.hint).toBe(
      "Correct ordres (check the name, --region and --profile), or leave it out: resume the release with `lshift deploy mailer billing orders --resume` (with the first run's --alarm, hook and --bake flags), or roll it back with `lshift rollback --release r-abc123 mailer billing orders`.",
    );
  });

  it('a function named without a record (or of another release) is never in a hint; one without a record is NOT_IN_RELEASE', async () => {
    const lambda = await world({
      fa: record('r-abc123'),
      fc: record('r-abc123'),
      fx: record(undefined),
      fy: undefined,
      fz: record('r-other1'),
    });
    const error = await refusal(refuseUnnamedMembers(lambda, live('fa', 'fy', 'fz')));
    expect(error.code).toBe('NOT_IN_RELEASE');
    expect(error.message).toBe(
      'Function fy has no deployment record at alias live, so it is no function of release r-abc123 to resume. Nothing was taken over.',
    );
    expect(error.hint).toContain('`lshift deploy fa fc --resume`');
    const other = await refusal(refuseUnnamedMembers(lambda, live('fa', 'fx', 'fz')));
    expect(other.code).toBe('CONFLICTING_FLAGS');
    expect(other.hint).toContain('`lshift deploy fa fc --resume`');
    expect(other.hint).toContain('`lshift rollback --release r-abc123 fa fc`');
  });

  it('a function named that the listing could not read is no stranger: the hint keeps it', async () => {
    const lambda = await world({ fa: record('r-abc123'), fb: record('r-abc123'), fc: record('r-abc123') });
    const listTags = lambda.listTags.bind(lambda);
    lambda.listTags = async (arn: string) => {
      if (arn.endsWith(':fb')) throw new Error('ThrottlingException');
      return listTags(arn);
    };
    const error = await refusal(refuseUnnamedMembers(lambda, live('fa', 'fb')));
    expect(error.code).toBe('CONFLICTING_FLAGS');
    expect(error.hint).toContain('`lshift deploy fa fb fc --resume`');
  });

  it('lets it go on when every function with an unfinished record of the release is named', async () => {
    const lambda = await world({
      fa: record('r-abc123'),
      fb: record('r-abc123'),
      fc: record('r-abc123', { phase: 'rolled-back', percent: 0 }),
      fd: record('r-other1'),
      fe: record(undefined),
      ff: undefined,
    });
    await expect(refuseUnnamedMembers(lambda, live('fa', 'fb'))).resolves.toBeUndefined();
  });

  // The records name the release's functions (rf=): named all, nothing is left to look for, and
  // the listing of every function in reach (minutes in a large account) is skipped.
  it('every function the records name is named: no listing', async () => {
    const names = { releaseSize: 2, releaseFunctions: ['fa', 'fb'] };
    const lambda = await world({ fa: record('r-abc123', names), fb: record('r-abc123', names) });
    const store = new TagStateStore(lambda);
    const events: EngineEvent[] = [];
    const report = reportListing({ clock: new FakeClock(), events: { emit: (e) => events.push(e) } });
    await expect(
      refuseUnnamedMembers(lambda, live('fa', 'fb'), report, undefined, store),
    ).resolves.toBeUndefined();
    expect(lambda.callsOf('listFunctions')).toHaveLength(0);
    expect(events).toHaveLength(0);
    // One of them left unnamed: listed and refused, as before.
    const more = { releaseSize: 3, releaseFunctions: ['fa', 'fb', 'fc'] };
    const three = await world({
      fa: record('r-abc123', more),
      fb: record('r-abc123', more),
      fc: record('r-abc123', more),
    });
    const error = await refusal(
      refuseUnnamedMembers(three, live('fa', 'fb'), undefined, undefined, new TagStateStore(three)),
    );
    expect(error.code).toBe('CONFLICTING_FLAGS');
  });

  it('matches a function named by its ARN', async () => {
    const lambda = await world({ fa: record('r-abc123'), fb: record('r-abc123') });
    await expect(
      refuseUnnamedMembers(lambda, [
        { functionName: 'arn:aws:lambda:us-east-1:123456789012:function:fa', alias: 'live' },
        { functionName: 'fb', alias: 'live' },
      ]),
    ).resolves.toBeUndefined();
  });

  it('does not stand in the way when the functions cannot be listed (lambda:ListFunctions not allowed)', async () => {
    const lambda = await world({ fa: record('r-abc123'), fc: record('r-abc123') });
    lambda.listFunctions = async () => {
      throw new Error('AccessDenied');
    };
    await expect(refuseUnnamedMembers(lambda, live('fa'))).resolves.toBeUndefined();
  });

  // `lshift iam-policy` grants a deploy no lambda:ListFunctions: `deploy fa --resume` then drove fa
  // to 100% alone, its release's others left split (found by a hostile pass).
  it('one function of a release whose others cannot be looked for: refused, naming the way to resume them all', async () => {
    const lambda = await world({ fa: record('r-abc123'), fc: record('r-abc123') });
    lambda.listFunctions = async () => {
      throw new Error('AccessDenied');
    };
    const store = new TagStateStore(lambda);
    const error = await refusal(
      refuseLoneMemberResume({ lambda, store }, { functionName: 'fa', alias: 'live' }),
    );
    expect(error.code).toBe('CONFLICTING_FLAGS');
    expect(error.message).toBe(
      "fa's record names release r-abc123, whose other functions could not be looked for (AccessDenied): a resume of fa alone would go on without them and leave them where they are; nothing was taken over.",
    );
    expect(error.hint).toContain('`lshift deploy fa <its other functions> --resume`');
  });

  // Found by a pass: with `rf=` naming the release's functions, the lone resume still listed
  // every function in reach (ListFunctions, then ListTags of each) before refusing.
  describe('one function of a release whose record names its functions (rf=)', () => {
    const counted = async (records: Record<string, DeploymentRecord | undefined>) => {
      const lambda = await world(records);
      const calls = { listed: 0 };
      lambda.listFunctions = async () => {
        calls.listed += 1;
        throw new Error('AccessDenied');
      };
      return { lambda, store: new TagStateStore(lambda), calls };
    };
    const rf = { releaseFunctions: ['fa', 'fc'] };

    it('another of them unfinished: refused from their records alone, nothing listed', async () => {
      const { lambda, store, calls } = await counted({
        fa: record('r-abc123', rf),
        fc: record('r-abc123', rf),
      });
      const error = await refusal(
        refuseLoneMemberResume({ lambda, store }, { functionName: 'fa', alias: 'live' }),
      );
      expect(error.code).toBe('CONFLICTING_FLAGS');
      expect(error.message).toMatch(
        /^Release r-abc123 has another function with an unfinished record: fc:live \(shifting at 40%\)\. /,
      );
      expect(error.hint).toContain('lshift deploy fa fc --resume');
      expect(calls.listed).toBe(0);
    });

    it('the others finished: the resume goes on, nothing listed', async () => {
      const { lambda, store, calls } = await counted({
        fa: record('r-abc123', rf),
        fc: record('r-abc123', { ...rf, phase: 'promoted', percent: 100 }),
      });
      await expect(
        refuseLoneMemberResume({ lambda, store }, { functionName: 'fa', alias: 'live' }),
      ).resolves.toBeUndefined();
      expect(calls.listed).toBe(0);
    });

    it('one of them with no record of the release at this alias: listed as before', async () => {
      const { lambda, store, calls } = await counted({ fa: record('r-abc123', rf), fc: undefined });
      const error = await refusal(
        refuseLoneMemberResume({ lambda, store }, { functionName: 'fa', alias: 'live' }),
      );
      expect(error.message).toContain('whose other functions could not be looked for (AccessDenied)');
      expect(calls.listed).toBe(1);
    });
  });

  it('one function of no release: nothing listed, nothing refused', async () => {
    const lambda = await world({ fa: record(undefined) });
    let listed = 0;
    lambda.listFunctions = async () => {
      listed += 1;
      throw new Error('AccessDenied');
    };
    const store = new TagStateStore(lambda);
    await expect(
      refuseLoneMemberResume({ lambda, store }, { functionName: 'fa', alias: 'live' }),
    ).resolves.toBeUndefined();
    expect(listed).toBe(0);
  });

  /**
   * The listing is ListFunctions + ListTags per function, five at a time: in an account of
   * hundreds of functions that is a long silence at a terminal, so it says what it does first.
   */
  it('says it is listing before the first ListFunctions, then how many functions it has read', async () => {
    const lambda = await world({ fa: record('r-abc123'), fb: record('r-abc123'), fc: record(undefined) });
    const seen: string[] = [];
    const listFunctions = lambda.listFunctions.bind(lambda);
    lambda.listFunctions = async () => {
      seen.push('ListFunctions');
      return listFunctions();
    };
    await refuseUnnamedMembers(lambda, live('fa', 'fb'), {
      start: () => seen.push('start'),
      progress: (read, total) => seen.push(`${read}/${total}`),
    });
    expect(seen).toEqual(['start', 'ListFunctions', '0/3', '1/3', '2/3', '3/3']);
  });

  it('reportListing: one plain line (a log event, stderr in CI and under --json) without a table, no counts', () => {
    const events: EngineEvent[] = [];
    const report = reportListing({ clock: new FakeClock(), events: { emit: (e) => events.push(e) } });
    report.start();
    expect(report.progress).toBeUndefined();
    expect(events).toMatchObject([{ type: 'log', level: 'info', message: LISTING_NOTICE }]);
    expect(LISTING_NOTICE).toContain('ListFunctions');
  });

  it('reportListing at the terminal table: the line above the header, with the count as it goes', () => {
    const events: EngineEvent[] = [];
    const said: string[] = [];
    const report = reportListing(
      { clock: new FakeClock(), events: { emit: (e) => events.push(e) } },
      (text) => said.push(text),
    );
    report.start();
    for (let read = 0; read <= 300; read++) report.progress?.(read, 300);
    expect(events).toEqual([]);
    expect(said[0]).toBe(`${LISTING_NOTICE}…`);
    expect(said.at(-1)).toBe(`${LISTING_NOTICE}: 300/300 functions read`);
    // Redrawn at most every 2% of the functions, not 300 times.
    expect(said.length).toBeLessThanOrEqual(52);
  });
});
