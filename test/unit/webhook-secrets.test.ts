/**
 * Incoming-webhook URLs whose path is the secret (Slack, Discord, Teams): shown whole in every CI
 * log until a hostile pass (`--post-hook https://hooks.slack.com/services/T…/B…/<secret>`).
 */
import { describe, expect, it } from 'vitest';
import { maskCommandSecrets } from '../../src/domain/command-secrets.js';
import { formatHookSpec, parseHookSpec, redactUrl } from '../../src/domain/hook-spec.js';
import { maskOutputLine } from '../../src/domain/output-secrets.js';
import { maskWebhookPaths } from '../../src/domain/webhook-secrets.js';

const SLACK = 'https://hooks.slack.com/services/T0AB12CD3/B0EF45GH6/Xyz0123456789abcdefGHIJK';

describe('maskWebhookPaths', () => {
  it.each([
    [SLACK, 'https://hooks.slack.com/services/***'],
    ['https://hooks.slack.com/workflows/T01/A02/123/abcSECRET', 'https://hooks.slack.com/workflows/***'],
    ['https://hooks.slack.com/triggers/T01/123/abcSECRET', 'https://hooks.slack.com/triggers/***'],
    ['https://hooks.slack-gov.com/services/T0/B0/SECRET123', 'https://hooks.slack-gov.com/services/***'],
    [
      'https://discord.com/api/webhooks/123456789012345678/Ab-cD_SECRETtoken',
      'https://discord.com/api/webhooks/123456789012345678/***',
    ],
    [
      'https://discordapp.com/api/v10/webhooks/1234/SECRET?wait=true',
      'https://discordapp.com/api/v10/webhooks/1234/***?wait=true',
    ],
    [
      'https://contoso.webhook.office.com/webhookb2/a1b2@c3d4/IncomingWebhook/e5f6/7890',
      'https://contoso.webhook.office.com/webhookb2/***',
    ],
    [
      'https://outlook.office.com/webhook/a1b2@c3d4/IncomingWebhook/e5/78',
      'https://outlook.office.com/webhook/***',
    ],
    ['posting to HOOKS.SLACK.COM/services/T0/B0/SECRET now', 'posting to HOOKS.SLACK.COM/services/*** now'],
  ])('%s → %s', (text, shown) => {
    expect(maskWebhookPaths(text)).toBe(shown);
    expect(maskWebhookPaths(shown)).toBe(shown);
  });

  it.each([
    'https://hooks.example.com/services/T0/B0/kept',
    'https://slack.com/api/chat.postMessage',
    'https://discord.com/api/channels/1234/messages',
    'https://hooks.slack.com/',
  ])('keeps %s: no webhook secret in it', (text) => {
    expect(maskWebhookPaths(text)).toBe(text);
  });
});

describe('a webhook URL wherever a hook is shown', () => {
  it('an HTTP hook', () => {
    expect(formatHookSpec(parseHookSpec(SLACK, '--post-hook'))).toBe('https://hooks.slack.com/services/***');
    expect(redactUrl(`${SLACK}?x=1`)).toBe('https://hooks.slack.com/services/***?x=***');
  });

  it('a cmd: hook that posts to one, and a hook’s output line quoting it', () => {
    expect(maskCommandSecrets(`curl -X POST -d @msg.json '${SLACK}'`)).toBe(
      `curl -X POST -d @msg.json 'https://hooks.slack.com/services/***'`,
    );
    expect(maskOutputLine(`error: POST ${SLACK} answered 404`)).toBe(
      'error: POST https://hooks.slack.com/services/*** answered 404',
    );
  });
});
