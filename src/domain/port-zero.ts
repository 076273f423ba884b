/**
 * Port 0 in a URL lshift connects to (an endpoint, LSHIFT_SANDBOX, an HTTP hook, a proxy): no
 * port to connect to. It is what `lshift sandbox --port 0` is given (pick a free port), not what
 * anything listens on; a client given it either fails with a bare ECONNREFUSED or, like the AWS
 * SDK, goes to the scheme's default port instead. One check, used by every place that takes such
 * a URL (src/cli/aws-target.ts, src/cli/sandbox-env.ts, hook-spec.ts, proxy-choice.ts). Pure.
 */

/** The words every refusal of port 0 says after the value it names. */
export const PORT_ZERO_PROBLEM = 'names port 0, which nothing listens on';

/** Whether `url` (text or parsed) names port 0 (`:0`, `:00`); false for text that is no URL. */
export function namesPortZero(url: string | URL): boolean {
  if (typeof url !== 'string') return url.port === '0';
  try {
    return new URL(url).port === '0';
  } catch {
    return false;
  }
}
