// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is shell syntax in a command line, not a JS template.
import { describe, expect, it } from 'vitest';
import { looksSecretName, maskCommandSecrets } from '../../src/domain/command-secrets.js';
import { maskOutputLine } from '../../src/domain/output-secrets.js';

describe('maskCommandSecrets: what a cmd: hook shows of its command line', () => {
  it.each([
    // URLs: userinfo, every query value, the fragment
    [
      'curl -fsS https://admin:hunter2@ci.example.com/x?token=abc',
      'curl -fsS https://***@ci.example.com/x?token=***',
    ],
    [
      "curl 'https://ci.example.com/h?token=abc&team=a#frag' -d @-",
      "curl 'https://ci.example.com/h?token=***&team=***#***' -d @-",
    ],
    ['curl http://127.0.0.1:4879/hook?abc123', 'curl http://127.0.0.1:4879/hook?***'],
    [
      'psql postgres://app:pw@db.internal:5432/orders -c "select 1"',
      'psql postgres://***@db.internal:5432/orders -c "select 1"',
    ],
    // NAME=value whose name looks secret
    ['GITHUB_TOKEN=ghp_abc ./notify.sh', 'GITHUB_TOKEN=*** ./notify.sh'],
    ["export API_KEY='a b c'; ./run.sh", 'export API_KEY=***; ./run.sh'],
    [
      'env DB_PASSWORD="x\\"y" AWS_SECRET_ACCESS_KEY=abc ./run.sh',
      'env DB_PASSWORD=*** AWS_SECRET_ACCESS_KEY=*** ./run.sh',
    ],
    ['make smoke SLACK_WEBHOOK_AUTH=xyz', 'make smoke SLACK_WEBHOOK_AUTH=***'],
    ['./deploy --token=abc --stage=prod', './deploy --token=*** --stage=prod'],
    ['java -Dapi.key=abc -jar smoke.jar', 'java -Dapi.key=*** -jar smoke.jar'],
    ['./x.sh && DB_PASS=abc ./y.sh', './x.sh && DB_PASS=*** ./y.sh'],
    // long options followed by their value
    ['./notify --password hunter2 --channel ops', './notify --password *** --channel ops'],
    ['./notify --api-key "s3cr3t value" --fast', './notify --api-key *** --fast'],
    // curl's user:password and headers
    ['curl -u admin:hunter2 https://ci.example.com/x', 'curl -u admin:*** https://ci.example.com/x'],
    ["curl --user 'admin:my pass' https://h.example", "curl --user 'admin:***' https://h.example"],
    [
      'curl -H "Authorization: Bearer abcdefghijkl" https://h.example',
      'curl -H "Authorization: ***" https://h.example',
    ],
    [
      "curl -H 'X-Api-Key: abc123' -H 'Accept: json' https://h.example",
      "curl -H 'X-Api-Key: ***' -H 'Accept: json' https://h.example",
    ],
    [
      "wget --header='Authorization: Bearer abcdefghijkl' https://h.example",
      "wget --header='Authorization: ***' https://h.example",
    ],
    ['./call.sh Bearer abcdefghijkl', './call.sh Bearer ***'],
    // a secret-looking name whose value is an auth scheme: the credential after it too (found by a
    // hostile pass: `Authorization=*** dXNlcjpwYXNz`, the scheme masked and the credential shown)
    ['Authorization=Basic dXNlcjpwYXNz', 'Authorization=*** ***'],
    ['AUTH_HEADER=Bearer x', 'AUTH_HEADER=*** ***'],
    ['TOKEN=Token abc ./notify.sh', 'TOKEN=*** *** ./notify.sh'],
    ['env AUTHORIZATION=bearer abcdefghijkl', 'env AUTHORIZATION=*** ***'],
    // well-known token shapes anywhere
    ['./notify.sh ghp_abcdefghijklmnopqrstuvwxyz0123456789', './notify.sh ghp_***'],
    ['./notify.sh github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', './notify.sh github_pat_***'],
    ['./check.sh AKIAIOSFODNN7EXAMPLE', './check.sh AKIA***'],
    ['./slack.sh xoxb-123456-7890-abcdefABCDEF', './slack.sh xoxb-***'],
    ['./gl.sh glpat-abcdefghij0123456789', './gl.sh glpat-***'],
    ['./npm.sh npm_abcdefghijklmnopqrstuvwxyz0123456789', './npm.sh npm_***'],
    ['./pay.sh sk_live_abcdefghijklmnop1234', './pay.sh sk_live_***'],
    ['./jwt.sh eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', './jwt.sh eyJ***'],
    ['./jwt.sh token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', './jwt.sh token=***'],
    ['git clone git+https://u:p@h.example/r.git', 'git clone git+https://***@h.example/r.git'],
    // NAME=value and long options inside a quoted command (sh -c '…', bash -c "…")
    ["sh -c 'API_TOKEN=hunter2m ./x'", "sh -c 'API_TOKEN=*** ./x'"],
    ['bash -c "DB_PASSWORD=hunter2m ./x && ./y"', 'bash -c "DB_PASSWORD=*** ./x && ./y"'],
    ["sh -c 'API_TOKEN=hunter2m'", "sh -c 'API_TOKEN=***'"],
    ["./x '--password=hunter2m' --fast", "./x '--password=***' --fast"],
    // a command substitution is masked whole, never cut at its parenthesis
    ['./x --password=$(cat /tmp/p) --fast', './x --password=*** --fast'],
    ['./x --password $(cat /tmp/p) --fast', './x --password *** --fast'],
    ['TOKEN=$(vault read -field=t secret/$(whoami)) ./x', 'TOKEN=*** ./x'],
    ['TOKEN=`cat /tmp/t` ./x', 'TOKEN=*** ./x'],
    ['./x --password="$(cat /tmp/p)"', './x --password=***'],
    // JSON members whose name looks secret, plain or escaped in a shell word
    [
      `curl -d '{"password":"hunter2b","user":"ci"}' https://h.example`,
      `curl -d '{"password":"***","user":"ci"}' https://h.example`,
    ],
    [`{"apiKey": "abc def", "n": 1}`, `{"apiKey": "***", "n": 1}`],
    [
      'curl -d "{\\"token\\":\\"hunter2b\\",\\"team\\":\\"ops\\"}" https://h.example',
      'curl -d "{\\"token\\":\\"***\\",\\"team\\":\\"ops\\"}" https://h.example',
    ],
    // the AWS CLI's and credentials file's key words
    [
      'aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'aws configure set aws_secret_access_key ***',
    ],
    [
      'aws configure set default.aws_session_token FwoGZXIvYXdzEXAMPLE',
      'aws configure set default.aws_session_token ***',
    ],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG', 'aws_secret_access_key = ***'],
    ['AWS_SESSION_TOKEN FwoGZXIvYXdzEXAMPLE', 'AWS_SESSION_TOKEN ***'],
  ])('%s → %s', (command, shown) => {
    expect(maskCommandSecrets(command)).toBe(shown);
  });

  it.each([
    './scripts/smoke.sh --fast',
    'test "$LSHIFT_PHASE" = step',
    'GITHUB_TOKEN=$GH_TOKEN ./notify.sh',
    'TOKEN="${CI_TOKEN}" ./notify.sh --token "$TOKEN"',
    'curl -H "Authorization: Bearer $GITHUB_TOKEN" https://api.github.com/x',
    'curl -u "ci:$CI_PASSWORD" https://h.example',
    'STAGE=prod REGION=eu-west-1 ./smoke.sh',
    'echo Basic checks passed; echo done',
    'curl -fsS https://ci.example.com/hooks/lshift',
    'set -e\n./a.sh',
    `curl -d '{"user":"ci","count":"3"}' https://h.example`,
    '{"password":""}',
    '{"token":"$CI_TOKEN"}',
    'aws configure set aws_secret_access_key "$SECRET"',
    'aws configure get aws_session_token --profile ci',
    'echo "$(date) starting"',
    "sh -c 'STAGE=prod ./smoke.sh'",
  ])('keeps %s as typed: nothing secret in it', (command) => {
    expect(maskCommandSecrets(command)).toBe(command);
  });

  it.each([
    // a token glued to a letter or digit before it: masked too
    ['./notify.sh xghp_abcdefghijklmnopqrstuvwxyz0123456789', './notify.sh xghp_***'],
    ['echo token:abcgho_abcdefghijklmnopqrstuvwxyz0123456789', 'echo token:abcgho_***'],
    ['./n.sh 1github_pat_11ABCDEFG0123456789_abcdefghijklmnop', './n.sh 1github_pat_***'],
    ['./check.sh idAKIAIOSFODNN7EXAMPLE', './check.sh idAKIA***'],
    ['./check.sh 9ASIAIOSFODNN7EXAMPLE,', './check.sh 9ASIA***,'],
    ['./slack.sh tokxoxb-123456-7890-abcdefABCDEF', './slack.sh tokxoxb-***'],
    ['./gl.sh myglpat-abcdefghij0123456789', './gl.sh myglpat-***'],
    ['./npm.sh authnpm_abcdefghijklmnopqrstuvwxyz0123456789', './npm.sh authnpm_***'],
    ['./pay.sh keysk_live_abcdefghijklmnop12345678', './pay.sh keysk_live_***'],
    ['./pay.sh 7rk_live_abcdefghijklmnop12345678', './pay.sh 7rk_live_***'],
    ['./jwt.sh xeyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', './jwt.sh xeyJ***'],
    ['./jwt.sh Bearer_eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', './jwt.sh Bearer_eyJ***'],
    ['./jwt.sh t-eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', './jwt.sh t-eyJ***'],
  ])('masks a glued token: %s → %s', (command, shown) => {
    expect(maskCommandSecrets(command)).toBe(shown);
  });

  it.each([
    // ordinary words and code that end in a token's prefix: kept as typed
    'npm test -- task_test_ShouldReturnTrueWhenEmpty',
    'node -e "console.log(keyJson.parse.value)"',
    'echo monkeyJumps.over.fence',
    'echo monkeyJumpsOverLazyDog.eyebrowsRaisedHigh.ok',
    'echo SLOVAKIA EURASIA ASIAPACIFIC',
    'echo boxoxo-love',
    './x --mark_live_short1234',
  ])('keeps %s as typed: no glued token in it', (command) => {
    expect(maskCommandSecrets(command)).toBe(command);
  });

  it('is stable: masking a masked command changes nothing', () => {
    const command =
      'GITHUB_TOKEN=ghp_abc curl -u a:b -H "Authorization: Bearer abcdefghijkl" https://u:p@h.example/x?t=1#f --password x AKIAIOSFODNN7EXAMPLE' +
      ` sh -c 'API_TOKEN=hunter2m' --password=$(cat /tmp/p) '{"password":"hunter2b"}' aws_session_token FwoGZXIvYXdz`;
    const once = maskCommandSecrets(command);
    expect(once).not.toMatch(
      /ghp_abc|a:b|abcdefghijkl|u:p@|t=1|#f|--password x|IOSFODNN7|hunter2|cat \/tmp|FwoG/,
    );
    expect(maskCommandSecrets(once)).toBe(once);
  });

  it('names that look secret: any case, as a part of the name', () => {
    for (const name of [
      'TOKEN',
      'gh_token',
      'SECRET',
      'DB_PASSWORD',
      'PASSWD',
      'DB_PWD',
      'API_KEY',
      'apiKey',
    ]) {
      expect(looksSecretName(name), name).toBe(true);
    }
    for (const name of ['CREDENTIALS', 'AUTH_HEADER', 'PRIVATE_PEM', 'SIGNATURE', 'SESSION_ID', 'COOKIE']) {
      expect(looksSecretName(name), name).toBe(true);
    }
    for (const name of ['STAGE', 'REGION', 'LSHIFT_PHASE', 'URL', 'CHANNEL']) {
      expect(looksSecretName(name), name).toBe(false);
    }
  });
});

/**
 * `AUTH=Bearer $TOKEN` (a hook spec, or the line a hook printed) was shown `AUTH=*** $TOKEN`: the
 * scheme word masked as the value, the variable after it kept. A shell reference is no secret, so
 * the whole is kept, as `TOKEN=$CI_TOKEN` is. Only where that cannot show a real token: a word that
 * is only a reference, never one quoted literally ('$…' is the text itself, not a variable) or
 * with more after it (`$TOKEN-abc…`).
 */
describe('an auth scheme before a shell reference', () => {
  it.each([
    'AUTH=Bearer $TOKEN ./notify.sh',
    'AUTH_HEADER=Bearer ${CI_TOKEN} ./x',
    'AUTHORIZATION=bearer "$TOKEN" ./x',
    'AUTH="Bearer $TOKEN" ./x',
    'env AUTH="Basic ${CREDS}" ./x',
  ])('keeps %s: nothing secret in it', (command) => {
    expect(maskCommandSecrets(command)).toBe(command);
    expect(maskOutputLine(command)).toBe(command);
  });

  it.each([
    // single quotes: the text itself, a password that starts with $, not a variable
    ["AUTH=Bearer '$ecretPass1' ./x", 'AUTH=*** *** ./x'],
    ["AUTH='Bearer $ecretPass1' ./x", 'AUTH=*** ./x'],
    ["TOKEN='$ecretPass1' ./x", 'TOKEN=*** ./x'],
    // more than a reference in the word
    ['AUTH=Bearer $TOKEN-abc123def ./x', 'AUTH=*** *** ./x'],
    ['AUTH=Bearer x$TOKEN ./x', 'AUTH=*** *** ./x'],
    ['AUTH="Bearer $TOKEN abc123def" ./x', 'AUTH=*** ./x'],
    ['AUTH=Bearer abcdefghijkl ./x', 'AUTH=*** *** ./x'],
  ])('masks %s → %s', (command, shown) => {
    expect(maskCommandSecrets(command)).toBe(shown);
  });
});
