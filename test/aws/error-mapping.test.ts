import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { CallInterruptedError } from '../../src/aws/call-deadline.js';
import { type AwsErrorContext, isNetworkError, mapAwsError } from '../../src/aws/error-mapping.js';
import { describeError, formatErrorText } from '../../src/cli/format-error.js';
import { ConflictError, ExitCode, type LshiftError, OperationError } from '../../src/domain/errors.js';
import {
  aliasConfiguration,
  cloudWatchCall,
  cloudWatchError,
  cloudWatchJson,
  createTestCloudWatchAdapter,
  createTestLambdaAdapter,
  fnPath,
  lambdaError,
  lambdaJson,
  lambdaNock,
  useNock,
} from '../helpers/aws-nock.js';

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** An error shaped like the SDK's ServiceException. */
function awsError(name: string, status: number | undefined, message: string, attempts = 1): Error {
  const e = new Error(message) as Error & { $metadata: object };
  e.name = name;
  e.$metadata = { httpStatusCode: status, attempts };
  return e;
}

function nodeError(code: string, message: string): Error {
  const e = new Error(message) as Error & { code: string; $metadata: object };
  e.code = code;
  e.$metadata = { attempts: 3 };
  return e;
}

const updateAlias: AwsErrorContext = {
  operation: 'lambda:UpdateAlias',
  functionName: 'my-fn',
  alias: 'live',
  version: '2',
};
const getVersion: AwsErrorContext = {
  operation: 'lambda:GetFunctionConfiguration',
  functionName: 'my-fn',
  version: '9',
};
const getFunction: AwsErrorContext = { operation: 'lambda:GetFunctionConfiguration', functionName: 'my-fn' };
const publish: AwsErrorContext = { operation: 'lambda:PublishVersion', functionName: 'my-fn' };
const createAlias: AwsErrorContext = {
  operation: 'lambda:CreateAlias',
  functionName: 'my-fn',
  alias: 'live',
};
const describeAlarms: AwsErrorContext = { operation: 'cloudwatch:DescribeAlarms', resource: 'alarms errors' };

describe('mapAwsError (table)', () => {
  const credentialsError = Object.assign(new Error('Could not load credentials from any providers'), {
    name: 'CredentialsProviderError',
  });
  const cases: {
    title: string;
    error: unknown;
    ctx: AwsErrorContext;
    type: typeof LshiftError;
    code: string;
    exit: number;
    says: string[];
    never?: string[];
  }[] = [
    {
      title: 'credentials missing',
      error: credentialsError,
      ctx: getFunction,
      type: OperationError,
      code: 'CREDENTIALS_MISSING',
      exit: ExitCode.Failed,
      says: ['lambda:GetFunctionConfiguration', 'function my-fn'],
    },
    {
      title: 'expired token',
      error: awsError('ExpiredTokenException', 403, 'The security token included in the request is expired'),
      ctx: getFunction,
      type: OperationError,
      code: 'CREDENTIALS_INVALID',
      exit: ExitCode.Failed,
      says: ['ExpiredTokenException'],
    },
    {
      title: 'region missing',
      error: new Error('Region is missing'),
      ctx: getFunction,
      type: OperationError,
      code: 'REGION_MISSING',
      exit: ExitCode.Failed,
      says: ['region'],
    },
    {
      title: '404 function',
      error: awsError(
        'ResourceNotFoundException',
        404,
        'Function not found: arn:aws:lambda:us-east-1:1:function:my-fn',
      ),
      ctx: getFunction,
      type: OperationError,
      code: 'FUNCTION_NOT_FOUND',
      exit: ExitCode.Failed,
      says: ['my-fn'],
    },
    {
      title: '404 version',
      error: awsError(
        'ResourceNotFoundException',
        404,
        'Function not found: arn:aws:lambda:us-east-1:1:function:my-fn:9',
      ),
      ctx: getVersion,
      type: OperationError,
      code: 'VERSION_NOT_FOUND',
      exit: ExitCode.Failed,
      says: ['Version 9', 'my-fn'],
    },
    {
      title: '404 alias',
      error: awsError(
        'ResourceNotFoundException',
        404,
        'Alias not found: arn:aws:lambda:us-east-1:1:function:my-fn:live',
      ),
      ctx: updateAlias,
      type: OperationError,
      code: 'ALIAS_NOT_FOUND',
      exit: ExitCode.Failed,
      says: ['Alias live', 'my-fn'],
    },
    {
      title: '412 on an alias write',
      error: awsError(
        'PreconditionFailedException',
        412,
        'The Revision Id provided does not match the latest Revision Id.',
      ),
      ctx: updateAlias,
      type: ConflictError,
      code: 'ALIAS_CHANGED',
      exit: ExitCode.Conflict,
      says: ['function my-fn alias live', 'nothing was overwritten'],
    },
    {
      title: '412 on publish',
      error: awsError('PreconditionFailedException', 412, 'CodeSha256 does not match'),
      ctx: publish,
      type: ConflictError,
      code: 'FUNCTION_CHANGED',
      exit: ExitCode.Conflict,
      says: ['function my-fn', 'nothing was overwritten'],
    },
    {
      title: '409 alias exists on create',
      error: awsError('ResourceConflictException', 409, 'Alias already exists: live'),
      ctx: createAlias,
      type: ConflictError,
      code: 'ALIAS_EXISTS',
      exit: ExitCode.Conflict,
      says: ['live'],
    },
    {
      title: '409 update in progress',
      error: awsError('ResourceConflictException', 409, 'An update is in progress for resource'),
      ctx: publish,
      type: ConflictError,
      code: 'FUNCTION_BUSY',
      exit: ExitCode.Conflict,
      says: ['in progress'],
    },
    {
      title: 'AccessDeniedException',
      error: awsError(
        'AccessDeniedException',
        403,
        'User: arn:aws:iam::1:user/ci is not authorized to perform: lambda:UpdateAlias',
      ),
      ctx: updateAlias,
      type: OperationError,
      code: 'ACCESS_DENIED',
      exit: ExitCode.Failed,
      says: ['lambda:UpdateAlias', 'function my-fn alias live'],
    },
    {
      title: 'CloudWatch AccessDenied',
      error: awsError('AccessDenied', 403, 'not authorized'),
      ctx: describeAlarms,
      type: OperationError,
      code: 'ACCESS_DENIED',
      exit: ExitCode.Failed,
      says: ['cloudwatch:DescribeAlarms', 'alarms errors'],
    },
    {
      title: 'TooManyRequestsException',
      error: awsError('TooManyRequestsException', 429, 'Rate exceeded', 3),
      ctx: updateAlias,
      type: OperationError,
      code: 'THROTTLED',
      exit: ExitCode.Failed,
      says: ['lambda:UpdateAlias', 'after 3 attempts'],
    },
    {
      title: 'CloudWatch Throttling',
      error: awsError('Throttling', 400, 'Rate exceeded'),
      ctx: describeAlarms,
      type: OperationError,
      code: 'THROTTLED',
      exit: ExitCode.Failed,
      says: ['cloudwatch:DescribeAlarms'],
    },
    {
      title: 'InvalidParameterValueException',
      error: awsError('InvalidParameterValueException', 400, 'Routing weight must be between 0.0 and 1.0'),
      ctx: updateAlias,
      type: OperationError,
      code: 'INVALID_PARAMETER',
      exit: ExitCode.Failed,
      says: ['Routing weight must be between 0.0 and 1.0'],
    },
    {
      title: 'connection refused',
      error: nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:4566'),
      ctx: { ...getFunction, endpoint: 'http://127.0.0.1:4566' },
      type: OperationError,
      code: 'NETWORK_ERROR',
      exit: ExitCode.Failed,
      says: ['http://127.0.0.1:4566', 'ECONNREFUSED'],
    },
    {
      title: 'connection reset during a write (the request may have landed)',
      error: nodeError('ECONNRESET', 'socket hang up'),
      ctx: { ...updateAlias, endpoint: 'http://127.0.0.1:4566' },
      type: OperationError,
      code: 'NETWORK_ERROR',
      exit: ExitCode.Failed,
      says: [
        'connection to http://127.0.0.1:4566 was cut during lambda:UpdateAlias',
        'ECONNRESET',
        'may have',
      ],
    },
    {
      title: 'connection reset as the SDK throws it (renamed TimeoutError so it is retried): not a timeout',
      error: Object.assign(nodeError('ECONNRESET', 'socket hang up'), { name: 'TimeoutError' }),
      ctx: { ...getFunction, endpoint: 'http://127.0.0.1:4566' },
      type: OperationError,
      code: 'NETWORK_ERROR',
      exit: ExitCode.Failed,
      says: [
        'connection to http://127.0.0.1:4566 was cut during lambda:GetFunctionConfiguration',
        'the endpoint reset it before answering (ECONNRESET: socket hang up; 3 attempts made)',
      ],
      // A read changed nothing: no "may have been carried out", no alias to look at.
      never: ['in time', 'LSHIFT_AWS_TIMEOUT', 'carried out', 'lshift status'],
    },
    {
      title: 'DNS failure',
      error: nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND lambda.xx-nowhere-1.amazonaws.com'),
      ctx: { ...getFunction, endpoint: 'https://lambda.xx-nowhere-1.amazonaws.com' },
      type: OperationError,
      code: 'NETWORK_ERROR',
      exit: ExitCode.Failed,
      says: ['https://lambda.xx-nowhere-1.amazonaws.com'],
    },
    {
      // Found by a hostile pass: AWS_ERROR, "read the AWS message above".
      title: 'a host name the resolver refuses (too long for DNS)',
      error: nodeError('EINVAL', `getaddrinfo EINVAL ${'a'.repeat(300)}.example`),
      ctx: { ...getFunction, endpoint: `http://${'a'.repeat(300)}.example:4566` },
      type: OperationError,
      code: 'NETWORK_ERROR',
      exit: ExitCode.Failed,
      says: ['its host name is not one DNS can look up (at most 253 characters, 63 between dots)'],
      never: ['AWS message'],
    },
    {
      title: 'a TLS certificate not trusted (a TLS-inspecting proxy’s own)',
      error: nodeError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'),
      ctx: { ...getFunction, endpoint: 'https://lambda.us-east-1.amazonaws.com' },
      type: OperationError,
      code: 'NETWORK_ERROR',
      exit: ExitCode.Failed,
      says: [
        'The TLS certificate of https://lambda.us-east-1.amazonaws.com was not trusted for lambda:GetFunctionConfiguration',
        'SELF_SIGNED_CERT_IN_CHAIN (self-signed certificate in certificate chain)',
        'nothing was sent',
        'NODE_EXTRA_CA_CERTS=',
      ],
    },
    {
      title: 'a TLS host name mismatch (Node’s ERR_TLS_CERT_ code)',
      error: nodeError(
        'ERR_TLS_CERT_ALTNAME_INVALID',
        "Hostname/IP does not match certificate's altnames: Host: lambda.us-east-1.amazonaws.com. is not in the cert's altnames: DNS:proxy.corp",
      ),
      ctx: { ...getFunction, endpoint: 'https://lambda.us-east-1.amazonaws.com' },
      type: OperationError,
      code: 'NETWORK_ERROR',
      exit: ExitCode.Failed,
      says: ['was not trusted', 'ERR_TLS_CERT_ALTNAME_INVALID', 'NODE_EXTRA_CA_CERTS'],
    },
    {
      title: 'no TLS at the other end (https:// to an http endpoint): OpenSSL’s reason, not its line',
      error: nodeError(
        'EPROTO',
        'write EPROTO 807C0104C97F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n',
      ),
      ctx: { ...getFunction, endpoint: 'https://127.0.0.1:4566' },
      type: OperationError,
      code: 'NETWORK_ERROR',
      exit: ExitCode.Failed,
      says: [
        'The TLS handshake with https://127.0.0.1:4566 failed for lambda:GetFunctionConfiguration',
        ': wrong version number (EPROTO); nothing was sent.',
        'http:// endpoint',
        'HTTPS_PROXY',
      ],
      never: ['deps/openssl', 'ssl3_record.c', '0A00010B', 'NODE_EXTRA_CA_CERTS'],
    },
    {
      title: 'an ERR_SSL_ code without an OpenSSL line: Node’s message kept',
      error: nodeError('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'),
      ctx: { ...getFunction, endpoint: 'https://127.0.0.1:4566' },
      type: OperationError,
      code: 'NETWORK_ERROR',
      exit: ExitCode.Failed,
      says: ['TLS handshake', 'wrong version number (ERR_SSL_WRONG_VERSION_NUMBER)'],
    },
    {
      title: 'the proxy wants credentials (hpagent: Bad response: 407)',
      error: new Error('Bad response: 407'),
      ctx: {
        ...getFunction,
        endpoint:
          'https://lambda.us-east-1.amazonaws.com through the proxy http://***@proxy:3128 (HTTPS_PROXY)',
      },
      type: OperationError,
      code: 'NETWORK_ERROR',
      exit: ExitCode.Failed,
      says: [
        'Could not reach https://lambda.us-east-1.amazonaws.com through the proxy http://***@proxy:3128 (HTTPS_PROXY) for lambda:GetFunctionConfiguration',
        'the proxy answered HTTP 407 to its CONNECT; nothing was sent.',
        'The proxy wants credentials',
        "user name and password to the proxy's URL",
      ],
      never: ['AWS_ERROR', 'NO_PROXY'],
    },
    {
      title: 'the proxy cannot reach the endpoint (hpagent: Bad response: 502)',
      error: new Error('Bad response: 502'),
      ctx: { ...updateAlias, endpoint: 'https://lambda.us-east-1.amazonaws.com' },
      type: OperationError,
      code: 'NETWORK_ERROR',
      exit: ExitCode.Failed,
      says: ['the proxy answered HTTP 502 to its CONNECT; nothing was sent.', 'NO_PROXY', 'HTTPS_PROXY'],
      // Refused before the request went out: the write did not happen.
      never: ['may have been carried out', 'wants credentials'],
    },
    {
      title: '`Bad response: 407` with an HTTP status is an answer, not a proxy refusal',
      error: awsError('ServiceException', 500, 'Bad response: 407'),
      ctx: getFunction,
      type: OperationError,
      code: 'AWS_ERROR',
      exit: ExitCode.Failed,
      says: ['ServiceException'],
      never: ['CONNECT'],
    },
    {
      title: 'socket timeout',
      error: Object.assign(new Error('Connection timed out after 10000 ms'), { name: 'TimeoutError' }),
      ctx: getFunction,
      type: OperationError,
      code: 'NETWORK_ERROR',
      exit: ExitCode.Failed,
      says: [
        'did not answer lambda:GetFunctionConfiguration',
        'in time',
        'Connection timed out after 10000 ms',
      ],
    },
    {
      title: 'anything else',
      error: awsError('ServiceException', 500, 'We currently do not have sufficient capacity'),
      ctx: publish,
      type: OperationError,
      code: 'AWS_ERROR',
      exit: ExitCode.Failed,
      says: ['ServiceException', 'sufficient capacity', 'lambda:PublishVersion'],
    },
  ];

  it.each(cases)('$title → $code', ({ error, ctx, type, code, exit, says, never = [] }) => {
    const mapped = mapAwsError(error, ctx);
    expect(mapped).toBeInstanceOf(type);
    expect(mapped.code).toBe(code);
    expect(mapped.exitCode).toBe(exit);
    expect(mapped.hint).toBeTruthy();
    for (const text of says) expect(`${mapped.message} ${mapped.hint}`).toContain(text);
    for (const text of never) expect(`${mapped.message} ${mapped.hint}`).not.toContain(text);
    expect(mapped.context.action).toBe(ctx.operation);
    expect(mapped.cause).toBe(error);
  });

  it.each([
    [{}, 'Pass --profile'],
    [
      { AWS_ACCESS_KEY_ID: 'AKIDVALUE1', AWS_SECRET_ACCESS_KEY: 'SECRETVALUE1' },
      'unset AWS_PROFILE / drop --profile',
    ],
    [{ AWS_ACCESS_KEY_ID: 'AKIDVALUE1' }, 'AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not'],
  ])('CREDENTIALS_MISSING with environment %j hints %s, and never prints a key', (env, hint) => {
    const keys = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
    const saved = keys.map((k) => process.env[k]);
    for (const k of keys) delete process.env[k];
    Object.assign(process.env, env);
    try {
      const mapped = mapAwsError(credentialsError, getFunction);
      expect(mapped.code).toBe('CREDENTIALS_MISSING');
      expect(mapped.hint).toContain(hint);
      expect(`${mapped.message} ${mapped.hint}`).not.toMatch(/AKIDVALUE1|SECRETVALUE1/);
    } finally {
      for (const [i, k] of keys.entries()) restoreEnv(k, saved[i]);
    }
  });

  // A broken profile: the hint said "set AWS_PROFILE" to someone who had, and a profile naming a
  // missing sso_session read as an AWS error (a TypeError) with "Read the AWS message above".
  it.each([
    [
      Object.assign(new Error('Profile nope could not be found or parsed in shared credentials file.'), {
        name: 'CredentialsProviderError',
      }),
      ': Profile nope could not be found or parsed in shared credentials file.',
    ],
    [
      new TypeError("Cannot read properties of undefined (reading 'sso_region')"),
      ': the profile’s SSO settings are incomplete (does its sso_session name an [sso-session …] section of ~/.aws/config?).',
    ],
  ])('a broken profile (%s) says what the SDK found, and names the profile to look at', (error, says) => {
    const saved = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE'].map(
      (k) => [k, process.env[k]] as const,
    );
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_PROFILE = 'x';
    try {
      const mapped = mapAwsError(error, getFunction);
      expect(mapped.code).toBe('CREDENTIALS_MISSING');
      expect(mapped.message).toBe(
        `No AWS credentials were found for lambda:GetFunctionConfiguration on function my-fn${says}`,
      );
      expect(mapped.hint).toMatch(
        /^Profile x \(AWS_PROFILE, --profile or the config file’s profile\) gave no credentials: check its section/,
      );
    } finally {
      for (const [k, v] of saved) restoreEnv(k, v);
    }
  });

  it('passes an LshiftError through unchanged', () => {
    const original = new ConflictError('ALIAS_CHANGED', 'x');
    expect(mapAwsError(original, getFunction)).toBe(original);
  });

  it.each([
    [nodeError('ECONNRESET', 'socket hang up'), true],
    [awsError('TimeoutError', undefined, 'timed out'), true],
    [awsError('TimeoutError', 504, 'gateway'), false],
    [awsError('ResourceNotFoundException', 404, 'x'), false],
    [nodeError('CERT_HAS_EXPIRED', 'certificate has expired'), true],
    [nodeError('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'unable to get local issuer certificate'), true],
    [nodeError('EPROTO', 'write EPROTO'), true],
    [new Error('Bad response: 407'), true],
    // Not hpagent's CONNECT refusal: a code, another message, or an HTTP answer.
    [nodeError('ESOMETHING', 'Bad response: 407'), false],
    [new Error('Bad response: 407 from upstream'), false],
    [awsError('Error', 407, 'Bad response: 407'), false],
    ['a string', false],
  ])('isNetworkError(%#) → %s', (error, expected) => {
    expect(isNetworkError(error)).toBe(expected);
  });
});

// A hostile pass: SIGTERM during a preflight read said "The request may still have been applied".
describe('mapAwsError: a call abandoned by Ctrl-C', () => {
  it.each([
    [getFunction, 'It only read: nothing was changed.'],
    [updateAlias, 'The request may still have been applied; run `lshift status` to see the alias.'],
  ])('%j → its hint', (ctx, hint) => {
    const mapped = mapAwsError(new CallInterruptedError(new Error('interrupted by SIGTERM')), ctx);
    expect(mapped).toMatchObject({ code: 'INTERRUPTED', hint });
  });
});

describe('mapAwsError: refusals that prove a write was not applied', () => {
  it.each([
    ['ExpiredTokenException', 403, 1, true],
    ['ExpiredToken', 403, 1, true],
    ['AccessDeniedException', 403, 1, true],
    // An earlier attempt (a timeout) may have been applied before the token expired.
    ['ExpiredTokenException', 403, 2, false],
    ['AccessDeniedException', 403, 3, false],
    ['ThrottlingException', 400, 1, false],
    ['ServiceException', 500, 1, false],
  ])('%s (HTTP %i) after %i attempt(s): notApplied %s', (name, status, attempts, notApplied) => {
    const error = mapAwsError(awsError(name, status, 'refused', attempts), updateAlias);
    expect(error.context.notApplied === true).toBe(notApplied);
  });
});

describe('error mapping through the real SDK clients (nock)', () => {
  useNock();

  it('404 on GetFunctionConfiguration → FUNCTION_NOT_FOUND', async () => {
    lambdaNock()
      .get(fnPath('nope', '/configuration'))
      .reply(
        ...lambdaError(
          404,
          'ResourceNotFoundException',
          'Function not found: arn:aws:lambda:us-east-1:1:function:nope',
        ),
      );
    const lambda = await createTestLambdaAdapter();
    await expect(lambda.getFunction('nope')).rejects.toMatchObject({
      code: 'FUNCTION_NOT_FOUND',
      context: { functionName: 'nope', action: 'lambda:GetFunctionConfiguration' },
    });
  });

  it('412 on UpdateAlias → ConflictError ALIAS_CHANGED, exit 5', async () => {
    lambdaNock()
      .put(fnPath('my-fn', '/aliases/live'))
      .reply(...lambdaError(412, 'PreconditionFailedException', 'The Revision Id provided does not match'));
    const lambda = await createTestLambdaAdapter();
    const error = await lambda
      .updateAlias('my-fn', 'live', {
        functionVersion: '2',
        additionalWeights: { '3': 0.1 },
        revisionId: 'old',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'ALIAS_CHANGED', exitCode: 5 });
  });

  it('403 on UpdateAlias → ACCESS_DENIED naming lambda:UpdateAlias', async () => {
    lambdaNock()
      .put(fnPath('my-fn', '/aliases/live'))
      .reply(
        ...lambdaError(
          403,
          'AccessDeniedException',
          'User: arn:aws:iam::1:user/ci is not authorized to perform: lambda:UpdateAlias',
        ),
      );
    const lambda = await createTestLambdaAdapter();
    const error = (await lambda
      .updateAlias('my-fn', 'live', { functionVersion: '2', additionalWeights: {}, revisionId: 'r' })
      .catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('ACCESS_DENIED');
    expect(error.message).toContain('lambda:UpdateAlias');
    expect(error.message).toContain('function my-fn alias live');
  });

  it('429 is retried by the SDK and the call then succeeds', async () => {
    lambdaNock()
      .get(fnPath('my-fn', '/aliases/live'))
      .reply(...lambdaError(429, 'TooManyRequestsException', 'Rate exceeded'));
    lambdaNock()
      .get(fnPath('my-fn', '/aliases/live'))
      .reply(...lambdaJson(aliasConfiguration({ FunctionVersion: '4' })));
    const lambda = await createTestLambdaAdapter();
    await expect(lambda.getAlias('my-fn', 'live')).resolves.toMatchObject({ functionVersion: '4' });
  });

  it('429 on every attempt → THROTTLED after 3 attempts', async () => {
    lambdaNock()
      .get(fnPath('my-fn', '/aliases/live'))
      .times(3)
      .reply(...lambdaError(429, 'TooManyRequestsException', 'Rate exceeded'));
    const lambda = await createTestLambdaAdapter();
    const error = (await lambda.getAlias('my-fn', 'live').catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('THROTTLED');
    expect(error.message).toContain('after 3 attempts');
  });

  it('CloudWatch Throttling (awsJson1_0 + x-amzn-query-error) exhausted → THROTTLED', async () => {
    cloudWatchCall('DescribeAlarms', 3).reply(...cloudWatchError(400, 'Throttling', 'Rate exceeded'));
    const cw = await createTestCloudWatchAdapter();
    await expect(cw.describeAlarms(['errors'])).rejects.toMatchObject({
      code: 'THROTTLED',
      context: { action: 'cloudwatch:DescribeAlarms' },
    });
  });

  it('CloudWatch Throttling once, then success', async () => {
    cloudWatchCall('DescribeAlarms').reply(...cloudWatchError(400, 'Throttling', 'Rate exceeded'));
    cloudWatchCall('DescribeAlarms').reply(
      ...cloudWatchJson({ MetricAlarms: [{ AlarmName: 'errors', StateValue: 'OK' }] }),
    );
    const cw = await createTestCloudWatchAdapter();
    await expect(cw.describeAlarms(['errors'])).resolves.toEqual([{ name: 'errors', state: 'OK' }]);
  });

  it('CloudWatch AccessDenied → ACCESS_DENIED naming cloudwatch:GetMetricData', async () => {
    cloudWatchCall('GetMetricData').reply(...cloudWatchError(403, 'AccessDenied', 'User is not authorized'));
    const cw = await createTestCloudWatchAdapter();
    await expect(cw.getMetricData([{ id: 'e', expression: '1' }], 0, 60_000)).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
      message: expect.stringContaining('cloudwatch:GetMetricData'),
    });
  });

  it.each([
    ['::error::', 'boom\n::error::x'],
    ['::add-mask::', 'boom\n::add-mask::hidden-by-an-attacker'],
    ['::stop-commands:: after blanks and ESC', 'boom\r\n  ::stop-commands::tok\u001b[2J'],
  ])('an AWS message with %s cannot issue a GitHub workflow command when printed', async (_name, message) => {
    lambdaNock()
      .get(fnPath('my-fn', '/aliases/live'))
      .reply(...lambdaError(400, 'ServiceException', message));
    const lambda = await createTestLambdaAdapter();
    const error = await lambda.getAlias('my-fn', 'live').catch((e: unknown) => e);
    const printed = formatErrorText(describeError(error));
    expect(printed).toContain('my-fn');
    expect(printed).toContain('boom\uFFFD');
    for (const line of printed.split('\n')) expect(line).not.toMatch(/^\s*::/);
    expect(printed).not.toContain('\u001b');
    expect(printed).not.toContain('\r');
  });

  it('never echoes credentials taken from the environment', async () => {
    const saved = { id: process.env['AWS_ACCESS_KEY_ID'], secret: process.env['AWS_SECRET_ACCESS_KEY'] };
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIAENVKEYID0000TEST';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYENVSECRET';
    try {
      lambdaNock()
        .get(fnPath('my-fn', '/configuration'))
        .reply(
          ...lambdaError(
            403,
            'UnrecognizedClientException',
            'The security token included in the request is invalid.',
          ),
        );
      const lambda = await createTestLambdaAdapter({ credentials: undefined });
      const error = (await lambda.getFunction('my-fn').catch((e: unknown) => e)) as LshiftError;
      expect(error.code).toBe('CREDENTIALS_INVALID');
      const shown = JSON.stringify({ m: error.message, h: error.hint, c: error.context });
      expect(shown).not.toContain('AKIAENVKEYID0000TEST');
      expect(shown).not.toContain('ENVSECRET');
    } finally {
      restoreEnv('AWS_ACCESS_KEY_ID', saved.id);
      restoreEnv('AWS_SECRET_ACCESS_KEY', saved.secret);
    }
  });

  // It read as AWS_ERROR "TypeError: Invalid character in header content […]", hint "Read the AWS
  // message above" (hostile pass): credentials from a profile or a credential_process with a CR.
  it.each([
    [
      'session token',
      { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', sessionToken: 'SECRETTOKEN\r' },
      'the session token',
    ],
    ['access key ID', { accessKeyId: 'AKIDSECRET\n', secretAccessKey: 'secret' }, 'the access key ID'],
  ])(
    'a %s holding a line break → CREDENTIALS_INVALID, not sent, no value shown',
    async (_n, credentials, what) => {
      nock.enableNetConnect('127.0.0.1:1');
      try {
        const lambda = await createTestLambdaAdapter({ endpointUrl: 'http://127.0.0.1:1', credentials });
        const error = (await lambda.getFunction('my-fn').catch((e: unknown) => e)) as LshiftError;
        expect(error.code).toBe('CREDENTIALS_INVALID');
        expect(error.exitCode).toBe(ExitCode.Failed);
        expect(error.message).toBe(
          `lambda:GetFunctionConfiguration on function my-fn was not sent: ${what} holds a character an HTTP header cannot carry (a line break or another control character, often a carriage return left by a file saved with Windows line endings).`,
        );
        expect(error.context.notApplied).toBe(true);
        expect(error.hint).toContain('Its value is not shown');
        expect(JSON.stringify({ m: error.message, h: error.hint })).not.toContain('SECRET');
      } finally {
        nock.disableNetConnect();
      }
    },
  );

  it('connection refused → NETWORK_ERROR naming the endpoint', async () => {
    nock.enableNetConnect('127.0.0.1:1');
    try {
      const lambda = await createTestLambdaAdapter({ endpointUrl: 'http://127.0.0.1:1' });
      const error = (await lambda.getFunction('my-fn').catch((e: unknown) => e)) as LshiftError;
      expect(error.code).toBe('NETWORK_ERROR');
      expect(error.message).toContain('http://127.0.0.1:1');
      expect(error.message).toContain('ECONNREFUSED');
    } finally {
      nock.disableNetConnect();
    }
  });
});

// Found by a hostile pass: a lost CreateAlias answer was "Someone created it concurrently".
describe('ALIAS_EXISTS on a retried CreateAlias', () => {
  it('marks the error retried and says an earlier attempt may have created it', () => {
    const mapped = mapAwsError(
      awsError('ResourceConflictException', 409, 'Alias already exists: live', 2),
      createAlias,
    );
    expect(mapped).toMatchObject({ code: 'ALIAS_EXISTS', context: { retried: true } });
    expect((mapped as ConflictError).hint).toContain('An earlier attempt of this request got no answer');
  });

  it('the only attempt: someone else’s, as before', () => {
    const mapped = mapAwsError(
      awsError('ResourceConflictException', 409, 'Alias already exists: live'),
      createAlias,
    );
    expect((mapped as ConflictError).context.retried).toBeUndefined();
  });
});

// Found reproducing a lost UpdateFunctionCode answer on the sandbox: the SDK's retry came while
// Lambda still applied the first attempt, and lshift said "another update is in progress", exit 5.
describe('FUNCTION_BUSY on a retried UpdateFunctionCode', () => {
  const updateCode: AwsErrorContext = { operation: 'lambda:UpdateFunctionCode', functionName: 'my-fn' };
  const inProgress = 'An update is in progress for resource: arn:aws:lambda:us-east-1:1:function:my-fn';

  it('marks the error retried: the update in progress may be its own first attempt', () => {
    const mapped = mapAwsError(awsError('ResourceConflictException', 409, inProgress, 2), updateCode);
    expect(mapped).toMatchObject({ code: 'FUNCTION_BUSY', context: { retried: true } });
  });

  it('the only attempt: someone else’s update, as before', () => {
    const mapped = mapAwsError(awsError('ResourceConflictException', 409, inProgress), updateCode);
    expect(mapped).toMatchObject({ code: 'FUNCTION_BUSY' });
    expect((mapped as ConflictError).context.retried).toBeUndefined();
  });
});
