import { describe, expect, it } from 'vitest';
import { maskLabelledValues } from '../../src/domain/labelled-values.js';
import { createOutputMasker, maskOutputLine } from '../../src/domain/output-secrets.js';

/** h3's pass, session 63: what a hook printed after a secret's label, and how it is shown. */
describe('a secret’s label with `=`, `=>`, `:=` (INI, TOML, Python, .properties, terraform, Ruby, Go)', () => {
  it.each([
    ['password = hunter9x', 'password = ***'],
    ['password = "hunter9x"', 'password = "***"'],
    ['db_password = hunter9x', 'db_password = ***'],
    ['api_key = "Zq9xLm2Qk7fR"', 'api_key = "***"'],
    ['token = abcdEFGH1234', 'token = ***'],
    ['  spring.datasource.password = hunter9x', '  spring.datasource.password = ***'],
    ['password => "hunter9x"', 'password => "***"'],
    ['{:password=>"hunter9x", :user=>"bob"}', '{:password=>"***", :user=>"bob"}'],
    ['secret := hunter9x', 'secret := ***'],
    ['level=info pin=4821', 'level=info pin=***'],
  ])('%s → %s', (line, shown) => {
    expect(maskOutputLine(line)).toBe(shown);
  });

  it.each(['token == expected', 'token count = 5', 'Tests passed = 42', 'x = 1', 'secret::value'])(
    'keeps %s',
    (line) => {
      expect(maskOutputLine(line)).toBe(line);
    },
  );
});

describe('a certainly secret value masked whole, not its first word only', () => {
  it.each([
    ['password: correct horse battery staple', 'password: ***'],
    ['passphrase: "correct horse battery staple"', 'passphrase: "***"'],
    ["password: 'correct horse' # old", "password: '***' # old"],
    ['DB_PASSWORD=correct horse battery', 'DB_PASSWORD=***'],
    ['password: p@ss;w0rd', 'password: ***'],
    ['password: "a\\"b c"', 'password: "***"'],
    ['password: "unterminated and more', 'password: "***'],
    ['private key: ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0', 'private key: ***'],
    ['Authorization: Token abc123def', 'Authorization: Token ***'],
    ['Set-Cookie: JSESSIONID=ABCDEF0123456789; Path=/', 'Set-Cookie: ***'],
    // an id, but the one of a credential: masked as in `AWS_ACCESS_KEY_ID=***`
    ['aws_access_key_id: AKIAFAKE12', 'aws_access_key_id: ***'],
    ['AccessKeyId: ASIAFAKE', 'AccessKeyId: ***'],
    // a field of a JSON object, a dict, a call, logfmt: to the field's end
    ['{"pin": 4821, "user": "bob"}', '{"pin": ***, "user": "bob"}'],
    ["{'password': 'a b', 'user': 'ann'}", "{'password': '***', 'user': 'ann'}"],
    ['{password: x y, user: bob}', '{password: ***, user: bob}'],
    ['connect(password=x y, user="bob")', 'connect(password=***, user="bob")'],
    ['level=info password=abc user=bob msg="ok"', 'level=info password=*** user=bob msg="ok"'],
    ['level=info password="a b" user=bob', 'level=info password=*** user=bob'],
    ['PATH=/bin\u0000MY_TOKEN=a b\u0000HOME=/root', 'PATH=/bin\u0000MY_TOKEN=***\u0000HOME=/root'],
  ])('%s → %s', (line, shown) => {
    expect(maskOutputLine(line)).toBe(shown);
  });

  it.each([
    'token: $CI_TOKEN',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable as a hook prints it.
    'password: "${DB_PASSWORD}"',
    'Authorization: Bearer $TOKEN',
    'Authorization: Bearer "$TOKEN" ./x',
    'Authorization: Bearer',
    'token count: 5',
    'Password policy: min length 12',
    'password:',
  ])('keeps what holds no secret: %s', (line) => {
    expect(maskLabelledValues(line)).toBe(line);
  });

  it('a maybe-secret’s value is still its first word, unless a count or a flag', () => {
    expect(maskOutputLine('key: app data')).toBe('key: *** data');
    expect(maskOutputLine('Keys: 3 loaded')).toBe('Keys: 3 loaded');
  });
});

describe('names and paths that are no secret', () => {
  it.each([
    'keyId: alias/my-key',
    'kmsKeyId: arn:aws:kms:us-east-1:123456789012:key/abc',
    'KeyArn: arn:aws:kms:us-east-1:123456789012:key/1234',
    'secretArn: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf',
    'keyName: users',
    'partition key: userId',
    'sort key: createdAt',
    'primary key: id',
    'Cache key: v2-deps-abc123',
    'cacheKey: build-123',
    'public key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0',
    'token: arn:aws:secretsmanager:us-east-1:123456789012:secret:ci-token-AbCdEf',
  ])('keeps %s', (line) => {
    expect(maskOutputLine(line)).toBe(line);
  });

  it('keeps PWD and OLDPWD as docs/hooks.md says (a path), not a password named Pwd', () => {
    const mask = createOutputMasker({ PWD: '/home/app/build', OLDPWD: '/home/app' });
    expect(mask('PWD=/home/app/build')).toBe('PWD=/home/app/build');
    expect(mask('OLDPWD=/home/app')).toBe('OLDPWD=/home/app');
    expect(mask('pwd: /home/app')).toBe('pwd: /home/app');
    expect(mask('Server=db;Uid=sa;Pwd=hunter2;')).toBe('Server=db;Uid=sa;Pwd=***;');
    expect(mask('Pwd=hunter2')).toBe('Pwd=***');
  });
});

/** h1's last pass, session 63: what was still shown. */
describe('a secret that looks like a name, a variable or an ARN', () => {
  it.each([
    ['SecretID:   e2b1c7f4-8b1a-4c55-9d2e-3f7a1b2c4d5e', 'SecretID:   ***'],
    ['secret_id: 9f1d2c3b4a', 'secret_id: ***'],
    ['password: $uperSecret9', 'password: ***'],
    ['password: "$ecret"', 'password: "***"'],
    ['token: arn:aws-fake:a:b::hunter2', 'token: ***'],
    ['Session ID: sess-x9f8e7', 'Session ID: ***'],
    ['Secret ID: e2b1c7f4-aa', 'Secret ID: ***'],
  ])('%s → %s', (line, shown) => {
    expect(maskOutputLine(line)).toBe(shown);
  });

  it.each([
    'token: $CI_TOKEN',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable as a hook prints it.
    'password: "${DB_PASSWORD}"',
    'secretArn: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf',
    'SecretName: prod/db',
    'Request ID: 7f3a9c',
    'id: 42',
  ])('keeps %s', (line) => {
    expect(maskOutputLine(line)).toBe(line);
  });
});
