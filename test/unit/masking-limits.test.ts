import { describe, expect, it } from 'vitest';
import { maskCommandSecrets } from '../../src/domain/command-secrets.js';
import { createOutputMasker, maskOutputLine } from '../../src/domain/output-secrets.js';

/**
 * Session 63 left these as documented limits of masking a hook's output (docs/hooks.md, "Secrets in
 * hook output"); session 64 fixed them, masking no less of a real secret.
 */
describe('a secret shown after words, a short option, a scheme, a `;` or in a table cell: masked', () => {
  it.each([
    ['Password is hunter22', 'Password is ***'],
    ['Your password is: "hunter22".', 'Your password is: "***".'],
    ['Password was hunter22.', 'Password was ***.'],
    ['Your PIN is 4821', 'Your PIN is ***'],
    ['API key is AbCdEf12', 'API key is ***'],
    ['the token is ghx9Q2abc', 'the token is ***'],
    ['passwd hunter22', 'passwd ***'],
    ['set password hunter22', 'set password ***'],
    ['passphrase Tr0ub4dor&3 set', 'passphrase *** set'],
    ['mysql -phunter22 -u root', 'mysql -p*** -u root'],
    ['mysql -u root -p hunter22 orders', 'mysql -u root -p *** orders'],
    ['mysqldump -uroot -p"hunter 22" db | gzip > db.sql.gz', 'mysqldump -uroot -p*** db | gzip > db.sql.gz'],
    ['mariadb -h db -phunter22', 'mariadb -h db -p***'],
    ['sshpass -p hunter22 ssh deploy@host', 'sshpass -p *** ssh deploy@host'],
    ['oauth: Token abc123def456', 'oauth: Token ***'],
    ['auth: Bearer abc12', 'auth: Bearer ***'],
    ['a=1;password = hunter22;b=2', 'a=1;password = ***;b=2'],
    ['x;password: hunter22;y', 'x;password: ***;y'],
    ['DSN=x;PWD=hunter 22;UID=sa', 'DSN=x;PWD=***;UID=sa'],
    ['DSN=orders;UID=sa;PWD=/hunter22;', 'DSN=orders;UID=sa;PWD=***;'],
    ['Driver={ODBC};Server=db;Pwd=/x9!k;Database=orders', 'Driver={ODBC};Server=db;Pwd=***;Database=orders'],
    ['| password | hunter22 |', '| password | *** |'],
    ['| user | bob | password | s3cr3t |', '| user | bob | password | *** |'],
    ['│ API key │ zZ9q p@ss │', '│ API key │ *** │'],
    [' password | hunter22', ' password | ***'],
    ['| session | 5f2b7c9e1a |', '| session | *** |'],
  ])('%s → %s', (line, shown) => {
    expect(maskOutputLine(line)).toBe(shown);
  });

  it('a hook spec masks mysql’s password too (the same rules as the output)', () => {
    expect(maskCommandSecrets('mysql -uci -phunter22 -e "select 1"')).toBe('mysql -uci -p*** -e "select 1"');
    expect(maskCommandSecrets('mysql -uci -p"$DB_PASSWORD" orders')).toBe(
      'mysql -uci -p"$DB_PASSWORD" orders',
    );
  });

  it('PWD given a path in an env dump is still kept, a connection string’s Pwd is not', () => {
    const mask = createOutputMasker({ PWD: '/home/app/build' });
    expect(mask('PWD=/home/app/build')).toBe('PWD=/home/app/build');
    expect(mask('pwd: /home/app')).toBe('pwd: /home/app');
    expect(mask('Server=db;Uid=sa;Pwd=/hunter22;')).toBe('Server=db;Uid=sa;Pwd=***;');
  });
});

describe('no secret after a secret’s word: shown (they were false alarms)', () => {
  it.each([
    'token_ttl: 3600s',
    'token_ttl: 3600',
    'session_timeout: 30m',
    'password_min_length: 12',
    'password_max_age: 90d',
    'session_timeout: 1h30m',
    'token_expiry: 2026-12-05T12:00:00Z',
    'client_secret_expires_at: 0',
    'token_expires_in: 3600',
    'Is the password set? yes',
    'token_url: https://auth.example.com/oauth/token',
    'auth_endpoint: "https://auth.example.com/authorize"',
    'token_type: Bearer',
    'sid: 42',
    'Authorization: none',
    'password: null',
    'token: <none>',
    'Password is required',
    'Password is too short',
    'The token is expired',
    'the token was rotated yesterday',
    'password reset required',
    'passwd root',
    'passwords are stored hashed',
    'token is $CI_TOKEN',
    '| name | value |',
    '| Keys | 3 |',
    '| password_min_length | 12 |',
    '| password | none |',
    'cat password | grep x',
    'mysql -u root -p -e "select 1"',
    'ls -p /tmp',
  ])('keeps %s', (line) => {
    expect(maskOutputLine(line)).toBe(line);
  });

  it('masks no less of a secret after such a label: not a count, a duration or a URL', () => {
    expect(maskOutputLine('token_ttl: hunter22')).toBe('token_ttl: ***');
    expect(maskOutputLine('token_url: hunter22')).toBe('token_url: ***');
    expect(maskOutputLine('client_secret_expires_at: hunter22')).toBe('client_secret_expires_at: ***');
    expect(maskOutputLine('token_in: hunter22')).toBe('token_in: ***');
    expect(maskOutputLine('token_url: https://auth.example.com/t?token=abc123')).toBe(
      'token_url: https://auth.example.com/t?token=***',
    );
    expect(maskOutputLine('sid: 5f2b7c9e1a4d')).toBe('sid: ***');
    expect(maskOutputLine('Authorization: Bearer abc')).toBe('Authorization: Bearer ***');
    expect(maskOutputLine('password: none1234')).toBe('password: ***');
  });
});
