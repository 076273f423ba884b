/** Small pieces of client configuration shared by the client factory and the adapters. */
import { maskUserinfo } from '../domain/hook-spec.js';
import { chooseProxy, maskProxyUrl } from '../domain/proxy-choice.js';

/** Waiter pacing for LambdaAdapter; tests shorten it. Seconds. */
export interface WaiterOptions {
  minDelaySeconds?: number;
  maxDelaySeconds?: number;
}

/** The subset of resolved client config lshift reads. */
export interface ResolvedConfig {
  region: () => Promise<string>;
  endpoint?: () => Promise<{ protocol?: string; hostname?: string; port?: number; path?: string }>;
}

/**
 * A printable endpoint for NETWORK_ERROR messages: the configured endpoint, else the
 * `AWS_ENDPOINT_URL_<SERVICE>`/`AWS_ENDPOINT_URL` the SDK would use, else the AWS default host;
 * with the proxy the calls go through, if any (`… through the proxy http://***@proxy:3128 (HTTPS_PROXY)`).
 */
export async function describeEndpoint(
  clientConfig: unknown,
  service: { envSuffix: string; host: string },
): Promise<string> {
  const endpoint = await describeDirectEndpoint(clientConfig, service);
  try {
    const proxy = chooseProxy(endpoint, process.env);
    return proxy ? `${endpoint} through the proxy ${maskProxyUrl(proxy.url)} (${proxy.variable})` : endpoint;
  } catch {
    return endpoint;
  }
}

async function describeDirectEndpoint(
  clientConfig: unknown,
  service: { envSuffix: string; host: string },
): Promise<string> {
  const config = clientConfig as ResolvedConfig;
  try {
    if (config.endpoint) {
      const ep = await config.endpoint();
      const port = ep.port ? `:${ep.port}` : '';
      // Built from the parts, so a user name or password in the endpoint is never shown.
      return `${ep.protocol ?? 'https:'}//${ep.hostname ?? ''}${port}${ep.path && ep.path !== '/' ? ep.path : ''}`;
    }
    const fromEnv = process.env[`AWS_ENDPOINT_URL_${service.envSuffix}`] || process.env['AWS_ENDPOINT_URL'];
    if (fromEnv) return maskUserinfo(fromEnv);
    return `https://${service.host}.${await config.region()}.amazonaws.com`;
  } catch {
    return `the ${service.host} endpoint`;
  }
}
