/**
 * CreateApplication, GetApplication — the Lambda compute platform only.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateApplication.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetApplication.html
 */
import { own, setOwn } from '../own.js';
import type { Sandbox } from '../sandbox.js';
import { codeDeployErrors } from './errors.js';
import { checkName, type Input, optionalString, requiredString, seconds } from './input.js';
import { codeDeployOf, requireApplication } from './state.js';
import type { ApplicationData } from './types.js';

export function createApplication(sb: Sandbox, input: Input): Input {
  const name = applicationName(input);
  // Without computePlatform AWS creates a Server (EC2/on-premises) application.
  const platform = optionalString(input, 'computePlatform') ?? 'Server';
  if (!['Server', 'Lambda', 'ECS'].includes(platform)) {
    throw codeDeployErrors.make(
      'InvalidComputePlatformException',
      `The computePlatform ${platform} is not valid; use Server, Lambda or ECS.`,
    );
  }
  if (platform !== 'Lambda') {
    throw codeDeployErrors.make(
      'InvalidComputePlatformException',
      `The lshift sandbox models the Lambda compute platform only; create the application with computePlatform Lambda (got ${platform}).`,
    );
  }
  const apps = codeDeployOf(sb).applications;
  if (own(apps, name)) {
    throw codeDeployErrors.make('ApplicationAlreadyExistsException', `Application ${name} already exists.`);
  }
  const app: ApplicationData = {
    id: sb.nextId(),
    name,
    computePlatform: 'Lambda',
    createdMs: sb.simNow(),
    groups: {},
  };
  setOwn(apps, name, app);
  sb.markDirty();
  return { applicationId: app.id };
}

export function getApplication(sb: Sandbox, input: Input): Input {
  const app = requireApplication(sb, applicationName(input));
  return {
    application: {
      applicationId: app.id,
      applicationName: app.name,
      createTime: seconds(app.createdMs),
      linkedToGitHub: false,
      computePlatform: app.computePlatform,
    },
  };
}

export function applicationName(input: Input): string {
  const name = requiredString(
    input,
    'applicationName',
    'ApplicationNameRequiredException',
    'application name',
  );
  return checkName(name, 'InvalidApplicationNameException', 'application name');
}
