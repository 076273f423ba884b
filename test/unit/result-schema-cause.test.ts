import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RECORD_CAUSE_CODES } from '../../src/domain/record-cause.js';

/**
 * `deploy --json` prints `cause` and docs/ci.md tells scripts to read `cause.code`: the shipped
 * schema must list every code the engine can give (src/domain/outcome.ts and
 * outcome-rollback.ts), no more, no fewer.
 */
describe('result schema: the deploy result’s cause', () => {
  it('lists exactly the outcome codes of src/domain/outcome.ts (and outcome-rollback.ts)', () => {
    const read = (file: string) => readFileSync(new URL(`../../src/domain/${file}`, import.meta.url), 'utf8');
    // The union's own variants, and the rollback's (interfaces in outcome-rollback.ts it lists).
    const union =
      (read('outcome.ts').split('export type OutcomeCause')[0] ?? '') + read('outcome-rollback.ts');
    const codes = [...union.matchAll(/code: '([A-Z_]+)'/g)].map((m) => m[1]).sort();
    const schema = JSON.parse(
      readFileSync(new URL('../../schemas/result.schema.json', import.meta.url), 'utf8'),
    ) as { $defs: { deployResult: { properties: { cause: { properties: { code: { enum: string[] } } } } } } };
    const listed = [...schema.$defs.deployResult.properties.cause.properties.code.enum].sort();
    expect(codes.length).toBeGreaterThan(10);
    expect(listed).toEqual(codes);
  });
});

describe('result schema: the status record’s cause (y=)', () => {
  it('lists exactly the codes a record keeps (src/domain/record-cause.ts)', () => {
    type Status = {
      properties: { record: { properties: { cause: { properties: { code: { enum: string[] } } } } } };
    };
    const schema = JSON.parse(
      readFileSync(new URL('../../schemas/result.schema.json', import.meta.url), 'utf8'),
    ) as { $defs: { 'result:status': Status } };
    const listed = schema.$defs['result:status'].properties.record.properties.cause.properties.code.enum;
    expect([...listed].sort()).toEqual([...RECORD_CAUSE_CODES].sort());
  });
});
