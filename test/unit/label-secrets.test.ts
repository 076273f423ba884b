import { describe, expect, it } from 'vitest';
import { maskCommandSecrets } from '../../src/domain/command-secrets.js';
import { labelKind, labelWords } from '../../src/domain/label-secrets.js';
import { maskOutputLine } from '../../src/domain/output-secrets.js';

describe('labelKind: a label in free text judged by its words, not by a part of a word', () => {
  it.each([
    ['X-Api-Key', ['x', 'api', 'key']],
    ['apiKey', ['api', 'key']],
    ['DB.PASSWORD', ['db', 'password']],
    ['session_id', ['session', 'id']],
  ])('%s has the words %j', (label, words) => {
    expect(labelWords(label)).toEqual(words);
  });

  it.each([
    'password',
    'Password',
    'db_password',
    'DBPASSWORD',
    'passwd',
    'dbpwd',
    'passphrase',
    'secret',
    'client_secret',
    'SecretAccessKey',
    'token',
    'access_token',
    'X-Auth-Token',
    'api_key',
    'X-Api-Key',
    'apikey',
    'sshKey',
    'private_key',
    'db_pass',
    'basic_auth',
    'Authorization',
    'proxy-authorization',
    'credential',
    'Cookie',
    'Set-Cookie',
    'signature',
    'session_id',
    'sessionId',
    'passcode',
    'passkey',
    'mysqlpass',
  ])('%s is a secret’s label, whatever its value', (label) => {
    expect(labelKind(label)).toBe('secret');
  });

  it.each([
    'key',
    'Keys',
    'pass',
    'auth',
    'oauth',
    'session',
    'private',
    'cred',
    'tokens',
    'Secrets',
    'sid',
    'token_ttl',
    'password_min_length',
    'token_url',
    'api_key_max_age',
    'token_type',
  ])('%s may be one: masked unless its value is a count or a flag', (label) => {
    expect(labelKind(label)).toBe('maybe');
  });

  it.each([
    'passed',
    'Passing',
    'author',
    'Author',
    'monkey',
    'keyboard',
    'keyword',
    'passenger',
    'compass',
    'bypass',
    'took',
    'status',
    'ref',
  ])('%s is no secret’s label', (label) => {
    expect(labelKind(label)).toBe('plain');
  });

  // h3's pass, session 63: the name or the ARN of a secret or a key, a table's or a cache's key.
  it.each(['keyId', 'kmsKeyId', 'KeyArn', 'secretArn', 'SecretName', 'keyName', 'cacheKey', 'publicKey'])(
    '%s names a secret or a key, or is no secret’s key: no secret’s label',
    (label) => {
      expect(labelKind(label)).toBe('plain');
    },
  );

  // Consul's SecretID and Vault's secret_id are the credential itself (h1's last pass): masked, and so
  // is AWS Secrets Manager's SecretId, a name (when unsure, mask).
  it.each(['SecretId', 'SecretID', 'secret_id'])('%s is a secret’s label', (label) => {
    expect(labelKind(label)).toBe('secret');
  });

  it.each([
    ['partition', 'key', 'plain'],
    ['sort', 'key', 'plain'],
    ['Cache', 'key', 'plain'],
    ['private', 'key', 'secret'],
    ['API', 'key', 'secret'],
    ['session', 'id', 'secret'],
  ])('%s %s: judged with the word before it', (before, label, kind) => {
    expect(labelKind(label, before)).toBe(kind);
  });
});

describe('maskOutputLine: a name: value of ordinary output kept, a secret’s masked', () => {
  it.each([
    'Tests passed: 42',
    'Tests: 3 passed, 3 total',
    'Keys: 3 loaded',
    'keys: 12',
    'private: true',
    'session: 4',
    'Passing: 12, failing: 0',
    'monkey: business',
    'keyboard: us',
    'Author: Ann Example',
    'GET https://api.example.com/repos/x/pulls?ref=main&page=2&per_page=50',
    'see https://ci.example.com/runs?branch=main&status=success#L12',
  ])('keeps %s', (line) => {
    const shown = maskOutputLine(line);
    // A fragment is still masked (an OAuth token travels in one): only the query is compared.
    expect(shown.replace(/#\*\*\*$/, '')).toBe(line.replace(/#.*$/, ''));
  });

  it.each([
    ['password: 1234', 'password: ***'],
    ['Keys: abc123def456', 'Keys: ***'],
    ['key: app', 'key: ***'],
    ['session: 5f2b7c9e1a', 'session: ***'],
    ['db_pass: hunter2', 'db_pass: ***'],
    ['sessionId: 42', 'sessionId: ***'],
    ['session: 48237492374', 'session: ***'],
    ['client_secret: abc', 'client_secret: ***'],
    ['Tokens: sk-abcdef123456', 'Tokens: ***'],
    ['oauth: abcdef123456', 'oauth: ***'],
    ['passcode: 9f8e7d', 'passcode: ***'],
    ['passcode: 123456', 'passcode: ***'],
    ['mysqlpass: 123456', 'mysqlpass: ***'],
    // every query value but a plain one's
    [
      'GET https://h.example/x?ref=main&sig=abc&code=xyz&state=s1&key=k&page=2',
      'GET https://h.example/x?ref=main&sig=***&code=***&state=***&key=***&page=2',
    ],
    ['GET https://h.example/x?abc123', 'GET https://h.example/x?***'],
    [
      'GET https://h.example/x?ref=ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'GET https://h.example/x?ref=ghp_***',
    ],
  ])('masks %s', (line, shown) => {
    expect(maskOutputLine(line)).toBe(shown);
  });

  it('a command line still masks every query value (hook specs are not output)', () => {
    expect(maskCommandSecrets('curl https://h.example/x?ref=main&page=2')).toBe(
      'curl https://h.example/x?ref=***&page=***',
    );
  });
});
