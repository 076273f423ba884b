/**
 * An error the sandbox answers with, in the shape the real service uses. The HTTP layer renders
 * it per protocol: restJson1 (`x-amzn-ErrorType` + JSON body) for Lambda, awsJson1_0 with the
 * query-compatible header (`x-amzn-query-error: Code;Sender`) for CloudWatch.
 */
export class ApiError extends Error {
  readonly status: number;
  /** Lambda error type, or CloudWatch `__type` (the shape name). */
  readonly code: string;
  /** CloudWatch's query-protocol code (`InvalidParameterValue` for `InvalidParameterValueException`). */
  readonly queryCode?: string;
  /** Extra body members, e.g. Lambda's `Type: "User"` or `Reason`. */
  readonly fields: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    opts: { queryCode?: string; fields?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.queryCode = opts.queryCode;
    this.fields = opts.fields ?? {};
  }
}

// Lambda (restJson1). Type "User" is what Lambda sends for caller mistakes.
const user = { Type: 'User' };

export const lambdaErrors = {
  notFound: (message: string) => new ApiError(404, 'ResourceNotFoundException', message, { fields: user }),
  functionNotFound: (arn: string) => lambdaErrors.notFound(`Function not found: ${arn}`),
  aliasNotFound: (arn: string) => lambdaErrors.notFound(`Cannot find alias arn: ${arn}`),
  invalidParameter: (message: string) =>
    new ApiError(400, 'InvalidParameterValueException', message, { fields: user }),
  /** Model validation failures (`1 validation error detected: …`) are ValidationException. */
  validation: (message: string) => new ApiError(400, 'ValidationException', message),
  conflict: (message: string) => new ApiError(409, 'ResourceConflictException', message, { fields: user }),
  updateInProgress: (arn: string) =>
    lambdaErrors.conflict(
      `The operation cannot be performed at this time. An update is in progress for resource: ${arn}`,
    ),
  preconditionFailed: () =>
    new ApiError(
      412,
      'PreconditionFailedException',
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      { fields: user },
    ),
  badJson: (detail?: string) =>
    new ApiError(
      400,
      'InvalidRequestContentException',
      `Could not parse request body into json${detail ? `: ${detail}` : ''}`,
      { fields: user },
    ),
  tooLarge: (limit: number, operation: string) =>
    new ApiError(
      413,
      'RequestTooLargeException',
      `Request must be smaller than ${limit} bytes for the ${operation} operation`,
      { fields: user },
    ),
  throttled: () =>
    new ApiError(429, 'TooManyRequestsException', 'Rate exceeded', {
      fields: { Type: 'User', Reason: 'CallerRateLimitExceeded' },
    }),
  service: (message: string) =>
    new ApiError(500, 'ServiceException', message, { fields: { Type: 'Service' } }),
  unknownOperation: (message: string) => new ApiError(400, 'UnknownOperationException', message),
};

// CloudWatch (awsJson1_0, query compatible).
export const cloudWatchErrors = {
  invalidParameter: (message: string) =>
    new ApiError(400, 'InvalidParameterValueException', message, { queryCode: 'InvalidParameterValue' }),
  missingParameter: (name: string) =>
    new ApiError(400, 'MissingRequiredParameterException', `The parameter ${name} is required.`, {
      queryCode: 'MissingParameter',
    }),
  combination: (message: string) =>
    new ApiError(400, 'InvalidParameterCombinationException', message, {
      queryCode: 'InvalidParameterCombination',
    }),
  notFound: (message: string) =>
    new ApiError(404, 'ResourceNotFound', message, { queryCode: 'ResourceNotFound' }),
  limitExceeded: (message: string) =>
    new ApiError(400, 'LimitExceededFault', message, { queryCode: 'LimitExceeded' }),
  throttled: () => new ApiError(400, 'Throttling', 'Rate exceeded', { queryCode: 'Throttling' }),
  internal: (message: string) =>
    new ApiError(500, 'InternalServiceFault', message, { queryCode: 'InternalServiceError' }),
  badJson: () =>
    new ApiError(400, 'SerializationException', 'Could not parse request body as JSON', {
      queryCode: 'SerializationException',
    }),
  unknownOperation: (message: string) =>
    new ApiError(400, 'UnknownOperationException', message, { queryCode: 'UnknownOperationException' }),
};
