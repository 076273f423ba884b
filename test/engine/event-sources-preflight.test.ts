/** Issue 14: preflight lists the event source mappings the shift reaches and warns about the others. */
import { describe, expect, it } from 'vitest';
import { runDeploy } from '../../src/engine/deploy.js';
import { qualifierOfArn } from '../../src/engine/preflight-event-sources.js';
import { createWorld, FN, request } from './world.js';

const QUEUE = 'arn:aws:sqs:us-east-1:123456789012:orders';
const STREAM = 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks';
const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/1';

describe('preflight: event source mappings', () => {
  it('lists mappings on the alias and warns about those on a version or $LATEST', async () => {
    const w = createWorld();
    w.lambda.addEventSourceMapping(`${FN}:live`, QUEUE);
    w.lambda.addEventSourceMapping(FN, STREAM);
    w.lambda.addEventSourceMapping(`${FN}:1`, TABLE);
    const result = await runDeploy(w.deps, request());
    expect(result.status).toBe('promoted');
    const check = w.sink.ofType('preflight.check').find((c) => c.check === 'event-sources');
    expect(check?.message).toBe(
      `event source mappings: 1 on alias live (follow the shift: ${QUEUE}); 2 on a version or $LATEST (the shift does not reach them: ${STREAM}, ${TABLE})`,
    );
    const warnings = w.sink
      .ofType('log')
      .filter((e) => e.level === 'warn')
      .map((e) => e.message);
    expect(warnings).toEqual([
      `event source mapping esm-2 (${STREAM}) invokes the unqualified function (demo, i.e. $LATEST), not alias live: the shift will not reach that traffic. To shift it too, point it at the alias: \`aws lambda update-event-source-mapping --uuid esm-2 --function-name demo:live\``,
      `event source mapping esm-3 (${TABLE}) invokes version 1, not alias live: the shift will not reach that traffic. To shift it too, point it at the alias: \`aws lambda update-event-source-mapping --uuid esm-3 --function-name demo:live\``,
    ]);
    const asked = w.lambda.callsOf('listEventSourceMappings').map((c) => c.args[0]);
    expect(asked).toEqual(['demo', 'demo:live', 'demo:1']);
  });

  it('says so when there are none, and warns about nothing', async () => {
    const w = createWorld();
    await runDeploy(w.deps, request());
    const check = w.sink.ofType('preflight.check').find((c) => c.check === 'event-sources');
    expect(check?.message).toBe('no event source mapping invokes this alias or its versions');
    expect(w.sink.ofType('log').filter((e) => e.level === 'warn')).toEqual([]);
  });

  it.each([
    ['arn:aws:lambda:us-east-1:123456789012:function:demo', '$LATEST'],
    ['arn:aws:lambda:us-east-1:123456789012:function:demo:live', 'live'],
    ['arn:aws:lambda:us-east-1:123456789012:function:demo:7', '7'],
  ])('qualifierOfArn(%s) = %s', (arn, q) => {
    expect(qualifierOfArn(arn)).toBe(q);
  });
});
