/**
 * CodeDeploy's errors (awsJson1_1: HTTP 400 with `{"__type": "<Shape>", "message": …}`); the
 * SDK maps `__type` to its typed exception classes. Names from the API reference's Errors
 * sections, e.g. https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateDeployment.html
 */
import { ApiError } from '../api-error.js';

const error = (shape: string, message: string, status = 400) => new ApiError(status, shape, message);

export const codeDeployErrors = {
  make: error,
  applicationMissing: (name: string) =>
    error('ApplicationDoesNotExistException', `No application found for name: ${name}`),
  groupMissing: (application: string, group: string) =>
    error(
      'DeploymentGroupDoesNotExistException',
      `No Deployment Group found for name: ${group} in application ${application}`,
    ),
  configMissing: (name: string) =>
    error('DeploymentConfigDoesNotExistException', `No deployment configuration found for name: ${name}`),
  deploymentMissing: (id: string) =>
    error('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`),
  invalidInput: (message: string) => error('InvalidInputException', message),
  badJson: () => error('SerializationException', 'Could not parse the request body as JSON'),
  unknownOperation: (message: string) => error('UnknownOperationException', message),
  throttled: () => error('ThrottlingException', 'Rate exceeded'),
  internal: (message: string) => error('InternalFailure', message, 500),
};
