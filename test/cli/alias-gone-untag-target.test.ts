/**
 * An alias deleted under an unfinished deployment's record: `lshift status` (ALIAS_NOT_FOUND) and
 * `lshift check` (error) offer the `aws lambda untag-resource` that deletes the leftover record.
 * Printed through targetCommandsIn it must carry the run's --region/--profile/--endpoint-url;
 * both named it unquoted, so it was printed bare — run as printed against a sandbox it went to
 * AWS (h4's hostile pass, session 67; the same as record-corrupt-hint-target.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { targetCommandsIn } from '../../src/cli/targeted-result.js';
import { isLshiftError } from '../../src/domain/errors.js';
import { runCheck } from '../../src/engine/check.js';
import { getStatus } from '../../src/engine/status.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment } from '../engine/world.js';

const TARGETS = [
  {
    name: 'a kept sandbox',
    target: { awsEndpointUrl: 'http://127.0.0.1:4921', awsRegion: 'us-east-1' },
    flags: ['--region us-east-1', '--endpoint-url http://127.0.0.1:4921'],
  },
  {
    name: '--region and --profile',
    target: { profile: 'prod', region: 'eu-west-1' },
    flags: ['--profile prod', '--region eu-west-1'],
  },
];

function deletedUnderRecord() {
  const w = createWorld();
  leaveDeployment(w, deadRecord(w));
  w.lambda.deleteAlias(FN, ALIAS);
  return w;
}

async function statusHint(): Promise<string> {
  const w = deletedUnderRecord();
  try {
    await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
  } catch (error) {
    if (isLshiftError(error) && error.code === 'ALIAS_NOT_FOUND' && error.hint) return error.hint;
    throw error;
  }
  throw new Error('status did not refuse a deleted alias');
}

async function checkReason(): Promise<string> {
  const w = deletedUnderRecord();
  const deps = { ...w.deps, store: w.store, owner: 'check:cron@host-a:1' };
  const report = await runCheck(deps, {
    functionNames: [FN],
    alias: ALIAS,
    windowSeconds: 3600,
    alarms: [ALARM],
  });
  return report.results[0]?.reason ?? '';
}

describe('an alias deleted under its record: the untag offered carries the run target', () => {
  const texts = [
    { name: 'lshift status (ALIAS_NOT_FOUND hint)', read: statusHint },
    { name: 'lshift check (its error line)', read: checkReason },
  ];
  for (const { name, read } of texts)
    for (const { name: targetName, target, flags } of TARGETS)
      it(`${name}, run against ${targetName}`, async () => {
        const text = targetCommandsIn(await read(), target);
        const untag = /`(aws lambda untag-resource [^`]*)`/.exec(text)?.[1];
        expect(untag, text).toBeDefined();
        // Both the untag and the get-function inside its $(…) act where the run acted.
        for (const flag of flags) expect(untag!.split(flag).length - 1, `${flag} in ${untag}`).toBe(2);
      });
});
