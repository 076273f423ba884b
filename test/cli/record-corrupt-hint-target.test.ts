/**
 * A RECORD_CORRUPT hint offers an `aws lambda untag-resource` that deletes the record: printed
 * through targetCommandsIn it must carry the run's --region/--profile/--endpoint-url, for a record
 * a newer lshift wrote as for one edited by hand. The newer record's hint named the command
 * unquoted, so it was printed bare: run as printed against a sandbox it went to AWS, and with
 * --region to the shell's default region (h4's hostile pass, session 67).
 */
import { describe, expect, it } from 'vitest';
import { targetCommandsIn } from '../../src/cli/targeted-result.js';
import { isLshiftError } from '../../src/domain/errors.js';
import { decodeRecord } from '../../src/domain/record-decode.js';

const VALID =
  'v1 id=d-ofs1b5 s=1 t=2 st=all-at-once i=0 p=100 ph=promoted a=mxb3widu hb=mxb414mk e=mxb414ji o=root@vm:1/703a8510';

function hintOf(value: string): string {
  try {
    decodeRecord(value, { functionName: 'demo', alias: 'live' });
  } catch (error) {
    if (isLshiftError(error) && error.hint !== undefined) return error.hint;
    throw error;
  }
  throw new Error(`decoded: ${value}`);
}

const TARGETS = [
  { name: 'a kept sandbox', target: { awsEndpointUrl: 'http://127.0.0.1:4941', awsRegion: 'us-east-1' } },
  { name: '--region and --profile', target: { profile: 'prod', region: 'eu-west-1' } },
];

describe('RECORD_CORRUPT hint: the untag command carries the run target', () => {
  const records = [
    { name: 'a record a newer lshift wrote (v2)', value: `v2 ${VALID.slice(3)}` },
    { name: 'a truncated record', value: VALID.slice(0, 60) },
  ];
  for (const { name, value } of records)
    for (const { name: targetName, target } of TARGETS)
      it(`${name}, run against ${targetName}`, () => {
        const hint = targetCommandsIn(hintOf(value), target);
        const untag = /`(aws lambda untag-resource [^`]*)`/.exec(hint)?.[1];
        expect(untag, hint).toBeDefined();
        const flags =
          'profile' in target
            ? ['--profile prod', '--region eu-west-1']
            : ['--region us-east-1', '--endpoint-url http://127.0.0.1:4941'];
        // Both the untag and the get-function inside its $(…) act where the run acted.
        for (const flag of flags) expect(untag!.split(flag).length - 1, `${flag} in ${untag}`).toBe(2);
      });
});
