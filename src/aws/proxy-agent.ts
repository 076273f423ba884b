/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY for lshift's AWS clients (the choice: domain/proxy-choice.ts).
 * The SDK for JavaScript reads none of them; AWS documents giving its request handler a proxy
 * agent, hpagent in its example, for http and https alike
 * (https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-proxies.html).
 * The credential providers' STS client (assume role, web identity) reuses the parent client's
 * request handler, so it goes through the same proxy; the SSO portal's client does not (it takes
 * only its own clientConfig: @aws-sdk/credential-provider-sso), nor do the instance and container
 * metadata endpoints (which must not).
 */
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { chooseProxy } from '../domain/proxy-choice.js';

/** Where a client's calls go when no endpoint is configured: AWS's regional endpoint. */
export function endpointOf(
  endpointUrl: string | undefined,
  service: { envSuffix: string; host: string },
  region: string,
): string {
  if (endpointUrl) return endpointUrl;
  if (process.env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']?.trim().toLowerCase() !== 'true') {
    const fromEnv =
      process.env[`AWS_ENDPOINT_URL_${service.envSuffix}`]?.trim() || process.env['AWS_ENDPOINT_URL']?.trim();
    if (fromEnv) return fromEnv;
  }
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${service.host}.${region}.${suffix}`;
}

/**
 * The agents that send a client's calls through the proxy the environment names for `endpoint`,
 * for its request handler's options; undefined: direct. PROXY_INVALID for a proxy it cannot use.
 * Given when the client is made: the SDK loads node:http for an http endpoint only through its own
 * agent provider, so an agent swapped in afterwards breaks http calls (`requestFunc is not a
 * function`, @smithy/node-http-handler 4.14).
 */
export function proxyAgents(
  endpoint: string,
  connectMs: number,
): { httpAgent: HttpProxyAgent; httpsAgent: HttpsProxyAgent } | undefined {
  const choice = chooseProxy(endpoint, process.env);
  if (!choice) return undefined;
  // The SDK's own defaults for its agents (keep-alive, 50 sockets), kept behind the proxy.
  const options = { proxy: choice.url, keepAlive: true, maxSockets: 50 };
  return {
    httpAgent: bounded(new HttpProxyAgent(options), connectMs),
    httpsAgent: bounded(new HttpsProxyAgent(options), connectMs),
  };
}

/**
 * hpagent sends its CONNECT with the request's `timeout`, which the SDK never sets: a proxy that
 * accepts and never answers kept that CONNECT, and so the process, alive after lshift had printed
 * its result (found by a hostile pass: no exit code ever reached CI). It gets the connect bound.
 */
function bounded<A extends HttpProxyAgent | HttpsProxyAgent>(agent: A, connectMs: number): A {
  const create = agent.createConnection.bind(agent);
  agent.createConnection = ((options: object, callback?: unknown) =>
    (create as (o: object, cb?: unknown) => ReturnType<A['createConnection']>)(
      { ...options, timeout: connectMs },
      callback,
    )) as A['createConnection'];
  return agent;
}
