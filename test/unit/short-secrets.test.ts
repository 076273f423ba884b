import { describe, expect, it } from 'vitest';
import { createOutputMasker, shortSecretValuesOf } from '../../src/domain/output-secrets.js';

/** Short values (under 8 characters) of a hook's environment. */
const ENV = {
  DB_PASSWORD: 'hunter2',
  API_TOKEN: 's3cr3t',
  REDIS_PASS: 'p@ss!',
  // not certainly secret by name, or no secret by value: shown as printed
  STAGE: 'prod',
  SESSION: 'abcd12',
  AWS_ACCESS_KEY_ID: 'AKIALOC',
  AWS_SECRET_ACCESS_KEY: 'test',
  SANDBOX_SECRET: 'x',
  USE_TOKEN: 'true',
  PIN_PASSWORD: '1234',
  SPACED_SECRET: 'a b c d',
  PWD: '/tmp',
};

describe('a short value of a certainly secret name: masked as a whole word, as written', () => {
  it('keeps the values of secret names only, 4 to 7 characters, no count, flag, id or placeholder', () => {
    expect(shortSecretValuesOf(ENV)).toEqual(['hunter2', 's3cr3t', 'p@ss!']);
  });

  const mask = createOutputMasker(ENV);

  // A variable's name is no place to guess: a setting's name or `SID` that an output label may
  // show (`token_ttl: 3600s`, `sid: 42`) still has its short value masked (session 64).
  it('keeps the short values of SID and of a secret setting name, as before the label rules eased', () => {
    expect(shortSecretValuesOf({ SID: 'ab12cd', TOKEN_TYPE: 'abcd1', DB_PASSWORD_MIN: 'x9y8z' })).toEqual([
      'ab12cd',
      'abcd1',
      'x9y8z',
    ]);
  });

  it.each([
    ['connecting with hunter2', 'connecting with ***'],
    ['pw=hunter2.', 'pw=***.'],
    ['"s3cr3t" and (p@ss!)', '"***" and (***)'],
    // a part of a longer word is no whole word: kept
    ['hunter2hunter2 and xs3cr3t', 'hunter2hunter2 and xs3cr3t'],
    // others: a count, a flag, an id, a placeholder, a name that may not be a secret's
    [
      'PASS test/orders.test.ts: true, 1234 ok, id AKIALOC in prod, x',
      'PASS test/orders.test.ts: true, 1234 ok, id AKIALOC in prod, x',
    ],
    ['session abcd12 started', 'session abcd12 started'],
  ])('%s → %s', (line, shown) => {
    expect(mask(line)).toBe(shown);
  });
});
