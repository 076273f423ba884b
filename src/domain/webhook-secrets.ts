/**
 * Incoming-webhook URLs whose secret is their path, not a query value or userinfo: whoever has
 * the URL can post to the channel. They are the usual way to notify a team from a post-traffic or
 * rollback hook, so lshift showed them whole in every CI log — as an HTTP hook's URL, inside a
 * `cmd:curl …` spec, in a hook's output (found by a hostile pass). The well-known hosts have fixed
 * shapes, so they are masked as the token shapes are (command-secrets.ts), keeping what says
 * which channel kind it is:
 * - Slack: `https://hooks.slack.com/services/***` (also `workflows/`, `triggers/`, and
 *   `hooks.slack-gov.com`) https://api.slack.com/messaging/webhooks
 * - Discord: `https://discord.com/api/webhooks/<id>/***` (the id is public, the token is not)
 *   https://discord.com/developers/docs/resources/webhook#execute-webhook
 * - Microsoft Teams / Office 365 connectors: `https://<tenant>.webhook.office.com/webhookb2/***`
 *   (and the older `outlook.office.com/webhook/***`).
 * Any other URL whose path is the secret still shows: docs/hooks.md says to keep it out of specs.
 * Pure.
 */

const MASK = '***';

// The rest of the path: a URL part ends at a blank, a quote, a shell operator, `?` or `#`.
const PATH_REST = String.raw`[^\s'"\x60<>;|()?#]+`;

const WEBHOOK_SHAPES: readonly RegExp[] = [
  new RegExp(String.raw`(hooks\.slack(?:-gov)?\.com/(?:services|workflows|triggers)/)${PATH_REST}`, 'gi'),
  new RegExp(
    String.raw`((?:canary\.|ptb\.)?discord(?:app)?\.com/api/(?:v\d+/)?webhooks/[0-9]+/)${PATH_REST}`,
    'gi',
  ),
  new RegExp(String.raw`(\.webhook\.office\.com/webhookb2/)${PATH_REST}`, 'gi'),
  new RegExp(String.raw`(outlook\.office(?:365)?\.com/webhook(?:b2)?/)${PATH_REST}`, 'gi'),
];

/** `https://hooks.slack.com/services/T0/B0/abc` → `https://hooks.slack.com/services/***`. */
export function maskWebhookPaths(text: string): string {
  return WEBHOOK_SHAPES.reduce((masked, shape) => masked.replace(shape, `$1${MASK}`), text);
}
