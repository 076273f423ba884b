import { describe, expect, it } from 'vitest';
import type { CredentialLifetime } from '../../src/domain/credential-lifetime.js';
import { checkCredentialLifetime } from '../../src/engine/preflight-credentials.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { RecordingSink } from '../helpers/recording-sink.js';

const longest = { seconds: 6000, parts: ['shift 1h 30m', 'settle up to 6m', 'a rollback 5m'] };

function setup(lifetime: CredentialLifetime | undefined) {
  const clock = new FakeClock();
  const events = new RecordingSink();
  const lambda = { readCredentialLifetime: async () => lifetime };
  return { deps: { clock, events, lambda }, clock, events };
}

const expiring = (clock: FakeClock, inSeconds: number): CredentialLifetime => ({
  renews: false,
  temporary: true,
  expiresAtMs: clock.now() + inSeconds * 1000,
  source: 'access keys in environment variables',
});

describe('checkCredentialLifetime', () => {
  it('refuses a new deployment its fixed credentials would not outlast, naming the expiry and the fix', async () => {
    const { deps, clock, events } = setup(undefined);
    deps.lambda.readCredentialLifetime = async () => expiring(clock, 2400);
    await expect(checkCredentialLifetime(deps, { longest })).rejects.toMatchObject({
      code: 'CREDENTIALS_EXPIRE_TOO_SOON',
      exitCode: 2,
      message: expect.stringContaining(
        'expire in 40m (2026-01-01T00:40:00.000Z), but this deployment can run up to 1h 40m',
      ),
      hint: expect.stringContaining('role-duration-seconds'),
    });
    expect(events.ofType('preflight.check')).toMatchObject([{ check: 'credentials', ok: false }]);
  });

  it('only warns on --resume: the alias is already split, refusing would leave it so', async () => {
    const { deps, clock, events } = setup(undefined);
    deps.lambda.readCredentialLifetime = async () => expiring(clock, 2400);
    const warning = await checkCredentialLifetime(deps, { longest, resume: true });
    expect(warning).toMatch(/^the AWS credentials .* expire in 40m .* before this deployment can end/);
    expect(warning).toContain('`lshift rollback`');
    expect(events.ofType('preflight.check')).toEqual([]);
  });

  it('passes credentials that outlast the run, and says nothing of ones it cannot read', async () => {
    const { deps, clock, events } = setup(undefined);
    deps.lambda.readCredentialLifetime = async () => expiring(clock, 7200);
    expect(await checkCredentialLifetime(deps, { longest })).toBeUndefined();
    expect(events.ofType('preflight.check')).toMatchObject([
      { check: 'credentials', ok: true, message: expect.stringContaining('expire in 2h') },
    ]);
    const unread = setup(undefined);
    expect(await checkCredentialLifetime(unread.deps, { longest })).toBeUndefined();
    expect(unread.events.events).toEqual([]);
  });

  it('warns about temporary credentials whose expiry is unknown when the run is longer than a default session', async () => {
    const { deps } = setup({
      renews: false,
      temporary: true,
      source: 'access keys in environment variables',
      fromEnvironment: true,
    });
    expect(await checkCredentialLifetime(deps, { longest })).toContain('Set AWS_CREDENTIAL_EXPIRATION');
  });

  it("does not tell a profile's temporary keys to set AWS_CREDENTIAL_EXPIRATION, which the SDK ignores for them", async () => {
    const { deps } = setup({ renews: false, temporary: true, source: 'access keys in an AWS profile' });
    const warning = await checkCredentialLifetime(deps, { longest });
    expect(warning).not.toContain('Set AWS_CREDENTIAL_EXPIRATION');
    expect(warning).toContain('aws configure export-credentials --format env');
  });

  it('says which AWS_CREDENTIAL_EXPIRATION it could not read', async () => {
    const { deps } = setup({
      renews: false,
      temporary: true,
      source: 'access keys in environment variables',
      unreadableExpiry: 'tomorrow',
    });
    expect(await checkCredentialLifetime(deps, { longest })).toContain(
      'AWS_CREDENTIAL_EXPIRATION `tomorrow` is not a date: write it in ISO 8601',
    );
  });

  it('says credentials that have already expired expired', async () => {
    const { deps, clock } = setup(undefined);
    deps.lambda.readCredentialLifetime = async () => expiring(clock, -60);
    await expect(checkCredentialLifetime(deps, { longest })).rejects.toMatchObject({
      message: expect.stringMatching(
        /^The AWS credentials \(access keys in environment variables\) expired at 2025-12-31T23:59:00.000Z, but/,
      ),
    });
  });
});
