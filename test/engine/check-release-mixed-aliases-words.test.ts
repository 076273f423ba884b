/**
 * `lshift check` of a stalled release (runner killed at 10%) with fa on `live` and ga on `prod`
 * (its config file's entries): the STALLED line offered `lshift deploy fa ga --resume` and
 * `lshift rollback --release r-… fa ga`, both without a word of the aliases: run as copied, the
 * rollback looks for ga at `live` (NOT_IN_RELEASE) and so does the resume. Now the rollback names
 * no function (it finds each at its own alias by its record) and the resume says it needs the
 * config file that gave each function its alias (F7's words in `check`, session 61).
 */
import { describe, expect, it } from 'vitest';
import {
  describeConfigFileNeeded,
  describeReleaseRollbackCommand,
} from '../../src/domain/release-ways-out.js';
import { runCheckWithReleases } from '../../src/engine/check-with-releases.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { ALIAS, createFleetWorld, deadRecord } from './world.js';

const RELEASE = 'r-m1x3d0';

describe('check of a stalled release on two aliases', () => {
  it('offers a rollback and a resume that work where they are typed', async () => {
    const w = createFleetWorld(['fa']);
    w.lambda.addFunction('ga');
    w.lambda.addVersion('ga');
    w.lambda.addVersion('ga');
    w.lambda.addAlias('ga', 'prod', '1');
    w.metrics.setAlarm('ga-errors', 'OK');
    w.metrics.setAlarm('fa-errors', 'OK');
    const store = new TagStateStore(w.lambda);
    for (const [i, [fn, alias]] of [
      ['fa', ALIAS],
      ['ga', 'prod'],
    ].entries()) {
      await store.write(fn!, alias!, deadRecord(w, { id: `d-${i}`, releaseId: RELEASE, percent: 10 }));
      w.lambda.moveAlias(fn!, alias!, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
    }
    const report = await runCheckWithReleases(
      { ...w.deps, store, owner: 'check:cron@ops:12' },
      {
        functionNames: ['fa', 'ga'],
        alias: ALIAS,
        own: new Map([['ga', { alias: 'prod' }]]),
        windowSeconds: 3600,
        alarms: ['{function}-errors'],
      },
    );
    const fa = report.results.find((r) => r.functionName === 'fa');
    expect(fa?.action).toBe('stalled');
    expect(fa?.reason).toContain('finish it with `lshift deploy fa ga --resume` plus the first run');
    expect(fa?.reason).toContain(
      ', with the config file that gave each function its alias (fa:live, ga:prod), in its directory or with --config <file>, ' +
        `or undo it with \`lshift rollback --release ${RELEASE}\` (naming no function, it finds each function of the release at its own alias by its record)`,
    );
  });

  it('on one alias, the commands name the functions and that alias', () => {
    const members = [
      { functionName: 'fa', alias: 'prod' },
      { functionName: 'ga', alias: 'prod' },
    ];
    expect(describeReleaseRollbackCommand(RELEASE, members)).toBe(
      `\`lshift rollback --release ${RELEASE} fa ga --alias prod\``,
    );
    expect(describeConfigFileNeeded(members)).toBe('');
  });
});
