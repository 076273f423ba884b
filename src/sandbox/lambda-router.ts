/**
 * Lambda restJson1 routes, as the pinned SDK's serializers send them
 * (@aws-sdk/client-lambda: `GET /2015-03-31/functions/{FunctionName}/configuration`, …).
 * Path labels arrive percent-encoded (ARNs: `arn%3Aaws%3Alambda…`).
 */
import { lambdaErrors } from './api-error.js';
import { createAlias, deleteAlias, getAlias, listAliases, updateAlias } from './lambda-aliases.js';
import {
  getFunctionEventInvokeConfig,
  listFunctionEventInvokeConfigs,
  putFunctionEventInvokeConfig,
} from './lambda-async.js';
import type { LambdaHandler } from './lambda-call.js';
import { deleteFunction } from './lambda-delete.js';
import { createEventSourceMapping, listEventSourceMappings } from './lambda-event-sources.js';
import {
  createFunction,
  getFunction,
  getFunctionConfiguration,
  listFunctions,
  listVersionsByFunction,
  publishVersion,
  updateFunctionCode,
  updateFunctionConfiguration,
} from './lambda-functions.js';
import { invoke } from './lambda-invoke.js';
import {
  deleteProvisionedConcurrencyConfig,
  getProvisionedConcurrencyConfig,
  putProvisionedConcurrencyConfig,
} from './lambda-provisioned.js';
import { listTags, tagResource, untagResource } from './lambda-tags.js';

interface Route {
  method: string;
  path: string;
  operation: string;
  handler?: LambdaHandler;
}

const ROUTES: Route[] = [
  { method: 'POST', path: '/2015-03-31/functions', operation: 'CreateFunction', handler: createFunction },
  { method: 'GET', path: '/2015-03-31/functions', operation: 'ListFunctions', handler: listFunctions },
  {
    method: 'GET',
    path: '/2015-03-31/functions/{FunctionName}',
    operation: 'GetFunction',
    handler: getFunction,
  },
  {
    method: 'GET',
    path: '/2015-03-31/functions/{FunctionName}/configuration',
    operation: 'GetFunctionConfiguration',
    handler: getFunctionConfiguration,
  },
  {
    method: 'PUT',
    path: '/2015-03-31/functions/{FunctionName}/configuration',
    operation: 'UpdateFunctionConfiguration',
    handler: updateFunctionConfiguration,
  },
  {
    method: 'PUT',
    path: '/2015-03-31/functions/{FunctionName}/code',
    operation: 'UpdateFunctionCode',
    handler: updateFunctionCode,
  },
  {
    method: 'POST',
    path: '/2015-03-31/functions/{FunctionName}/versions',
    operation: 'PublishVersion',
    handler: publishVersion,
  },
  {
    method: 'GET',
    path: '/2015-03-31/functions/{FunctionName}/versions',
    operation: 'ListVersionsByFunction',
    handler: listVersionsByFunction,
  },
  {
    method: 'POST',
    path: '/2015-03-31/functions/{FunctionName}/aliases',
    operation: 'CreateAlias',
    handler: createAlias,
  },
  {
    method: 'GET',
    path: '/2015-03-31/functions/{FunctionName}/aliases',
    operation: 'ListAliases',
    handler: listAliases,
  },
  {
    method: 'GET',
    path: '/2015-03-31/functions/{FunctionName}/aliases/{Name}',
    operation: 'GetAlias',
    handler: getAlias,
  },
  {
    method: 'PUT',
    path: '/2015-03-31/functions/{FunctionName}/aliases/{Name}',
    operation: 'UpdateAlias',
    handler: updateAlias,
  },
  {
    method: 'POST',
    path: '/2015-03-31/functions/{FunctionName}/invocations',
    operation: 'Invoke',
    handler: invoke,
  },
  {
    method: 'POST',
    path: '/2015-03-31/event-source-mappings',
    operation: 'CreateEventSourceMapping',
    handler: createEventSourceMapping,
  },
  {
    method: 'GET',
    path: '/2015-03-31/event-source-mappings',
    operation: 'ListEventSourceMappings',
    handler: listEventSourceMappings,
  },
  {
    method: 'PUT',
    path: '/2019-09-30/functions/{FunctionName}/provisioned-concurrency',
    operation: 'PutProvisionedConcurrencyConfig',
    handler: putProvisionedConcurrencyConfig,
  },
  {
    method: 'GET',
    path: '/2019-09-30/functions/{FunctionName}/provisioned-concurrency',
    operation: 'GetProvisionedConcurrencyConfig',
    handler: getProvisionedConcurrencyConfig,
  },
  {
    method: 'DELETE',
    path: '/2019-09-30/functions/{FunctionName}/provisioned-concurrency',
    operation: 'DeleteProvisionedConcurrencyConfig',
    handler: deleteProvisionedConcurrencyConfig,
  },
  {
    method: 'PUT',
    path: '/2019-09-25/functions/{FunctionName}/event-invoke-config',
    operation: 'PutFunctionEventInvokeConfig',
    handler: putFunctionEventInvokeConfig,
  },
  {
    method: 'GET',
    path: '/2019-09-25/functions/{FunctionName}/event-invoke-config',
    operation: 'GetFunctionEventInvokeConfig',
    handler: getFunctionEventInvokeConfig,
  },
  {
    method: 'GET',
    path: '/2019-09-25/functions/{FunctionName}/event-invoke-config/list',
    operation: 'ListFunctionEventInvokeConfigs',
    handler: listFunctionEventInvokeConfigs,
  },
  { method: 'GET', path: '/2017-03-31/tags/{Resource}', operation: 'ListTags', handler: listTags },
  { method: 'POST', path: '/2017-03-31/tags/{Resource}', operation: 'TagResource', handler: tagResource },
  {
    method: 'DELETE',
    path: '/2017-03-31/tags/{Resource}',
    operation: 'UntagResource',
    handler: untagResource,
  },
  {
    method: 'DELETE',
    path: '/2015-03-31/functions/{FunctionName}',
    operation: 'DeleteFunction',
    handler: deleteFunction,
  },
  {
    method: 'DELETE',
    path: '/2015-03-31/functions/{FunctionName}/aliases/{Name}',
    operation: 'DeleteAlias',
    handler: deleteAlias,
  },
  // Known to Lambda, not simulated: answered with an error that names them.
  { method: 'GET', path: '/2015-03-31/functions/{FunctionName}/policy', operation: 'GetPolicy' },
  { method: 'POST', path: '/2015-03-31/functions/{FunctionName}/policy', operation: 'AddPermission' },
  { method: 'GET', path: '/2016-08-19/account-settings', operation: 'GetAccountSettings' },
  {
    method: 'PUT',
    path: '/2017-10-31/functions/{FunctionName}/concurrency',
    operation: 'PutFunctionConcurrency',
  },
  {
    method: 'GET',
    path: '/2019-09-30/functions/{FunctionName}/concurrency',
    operation: 'GetFunctionConcurrency',
  },
  { method: 'POST', path: '/2014-11-13/functions/{FunctionName}/invoke-async', operation: 'InvokeAsync' },
  {
    method: 'POST',
    path: '/2021-11-15/functions/{FunctionName}/response-streaming-invocations',
    operation: 'InvokeWithResponseStream',
  },
];

/** Every Lambda operation name the sandbox routes (a hold's `only` is checked against them). */
export const LAMBDA_OPERATIONS: readonly string[] = ROUTES.map((r) => r.operation);

export interface LambdaRoute {
  operation: string;
  handler?: LambdaHandler;
  labels: Record<string, string>;
}

/**
 * The route of a request, or undefined when the path is no Lambda operation at all. A label may
 * be empty (`GetAlias` with Name '' is `…/aliases/`): the operation then refuses it as Lambda
 * does, with a validation error, rather than the path being read as another operation's
 * (`…/aliases`, ListAliases). A trailing slash is dropped only where it names a route without
 * labels: the AWS CLI sends ListFunctions as `GET /2015-03-31/functions/`.
 */
export function matchLambdaRoute(method: string, pathname: string): LambdaRoute | undefined {
  const exact = pathname.split('/');
  const trimmed = pathname.replace(/\/+$/, '').split('/');
  const tries: [string[], (route: Route) => boolean][] = pathname.endsWith('/')
    ? [
        [trimmed, (route) => !route.path.includes('{')],
        [exact, () => true],
        [trimmed, () => true],
      ]
    : [[exact, () => true]];
  let knownPath = false;
  for (const [parts, eligible] of tries) {
    for (const route of ROUTES.filter(eligible)) {
      const labels = matchPath(route.path.split('/'), parts);
      if (!labels) continue;
      knownPath = true;
      if (route.method === method) return { operation: route.operation, handler: route.handler, labels };
    }
  }
  return knownPath ? { operation: `${method} ${pathname}`, labels: {} } : undefined;
}

function matchPath(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const labels: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i]!;
    const actual = parts[i]!;
    if (expected.startsWith('{')) {
      try {
        labels[expected.slice(1, -1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return labels;
}

export function unsupportedLambdaOperation(operation: string, method: string, pathname: string): Error {
  const known = ROUTES.filter((r) => r.handler).map((r) => r.operation);
  return lambdaErrors.unknownOperation(
    `The sandbox does not implement the Lambda operation ${operation} (${method} ${pathname}); it supports ${known.join(', ')}.`,
  );
}
