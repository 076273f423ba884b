/**
 * CodeDeployPort over the real CodeDeploy client (awsJson1_1, `CodeDeploy_20141006.*`). Each
 * call is bounded (bounded-caller.ts); errors map to typed codes (codedeploy-errors.ts).
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/Welcome.html
 */
import type { CodeDeployClient, ListDeploymentsCommandInput } from '@aws-sdk/client-codedeploy';
import type { TimeBasedRouting } from '../domain/codedeploy-plan.js';
import { UNFINISHED_DEPLOYMENT_STATUSES } from '../domain/codedeploy-run.js';
import { isLshiftError } from '../domain/errors.js';
import type {
  CodeDeployPort,
  CreateAnswer,
  CreateDeploymentInput,
  DeploymentGroupInfo,
  DeploymentGroupSpec,
  DeploymentInfo,
  StopAnswer,
} from '../ports/codedeploy.js';
import { BoundedCaller, type CallerOptions } from './bounded-caller.js';
import { isCodeDeployMissing } from './codedeploy-errors.js';
import {
  fromDeploymentInfo,
  fromGroupInfo,
  fromLifecycleEvents,
  fromTrafficRouting,
  toGroupInput,
  toTrafficRouting,
} from './codedeploy-mappers.js';
import { loadCodeDeploySdk } from './sdk-modules.js';

const {
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  CreateDeploymentGroupCommand,
  GetApplicationCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
  UpdateDeploymentGroupCommand,
} = loadCodeDeploySdk();

export class CodeDeployAdapter implements CodeDeployPort {
  private readonly caller: BoundedCaller;

  constructor(
    private readonly client: CodeDeployClient,
    options: CallerOptions = {},
    /**
     * The client CreateDeployment goes through: one without retries. CreateDeployment takes no
     * idempotency token, so the SDK's retry of an attempt whose answer was lost (a timeout, a
     * cut connection) starts a second deployment once the first has ended (found by a hostile
     * pass: three deployments of one run). A lost answer is settled by looking for the run's
     * token instead (engine/codedeploy-group.ts findStarted).
     */
    private readonly createClient: CodeDeployClient = client,
  ) {
    this.caller = new BoundedCaller(
      client.config,
      { prefix: 'codedeploy', envSuffix: 'CODEDEPLOY', host: 'codedeploy' },
      options,
    );
  }

  async getApplication(name: string) {
    return orMissing(
      this.caller.call('GetApplication', { resource: `application ${name}` }, async (opts) => {
        const out = await this.client.send(new GetApplicationCommand({ applicationName: name }), opts);
        return { name, computePlatform: out.application?.computePlatform };
      }),
    );
  }

  async createApplication(name: string): Promise<CreateAnswer> {
    return this.caller.call('CreateApplication', { resource: `application ${name}` }, (opts) =>
      orExists(
        this.client.send(
          new CreateApplicationCommand({ applicationName: name, computePlatform: 'Lambda' }),
          opts,
        ),
        'ApplicationAlreadyExistsException',
      ),
    );
  }

  async getDeploymentGroup(application: string, group: string): Promise<DeploymentGroupInfo | undefined> {
    const resource = `deployment group ${group} of application ${application}`;
    return orMissing(
      this.caller.call('GetDeploymentGroup', { resource }, async (opts) => {
        const out = await this.client.send(
          new GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: group }),
          opts,
        );
        return fromGroupInfo(out.deploymentGroupInfo ?? {});
      }),
    );
  }

  async createDeploymentGroup(spec: DeploymentGroupSpec): Promise<CreateAnswer> {
    const resource = `deployment group ${spec.group} of application ${spec.application}`;
    return this.caller.call('CreateDeploymentGroup', { resource }, (opts) =>
      orExists(
        this.client.send(new CreateDeploymentGroupCommand(toGroupInput(spec)), opts),
        'DeploymentGroupAlreadyExistsException',
      ),
    );
  }

  async updateDeploymentGroup(spec: DeploymentGroupSpec): Promise<void> {
    const resource = `deployment group ${spec.group} of application ${spec.application}`;
    const { deploymentGroupName, ...rest } = toGroupInput(spec);
    await this.caller.call('UpdateDeploymentGroup', { resource }, (opts) =>
      this.client.send(
        new UpdateDeploymentGroupCommand({ ...rest, currentDeploymentGroupName: deploymentGroupName }),
        opts,
      ),
    );
  }

  async getDeploymentConfig(name: string) {
    return orMissing(
      this.caller.call('GetDeploymentConfig', { resource: `deployment config ${name}` }, async (opts) => {
        const out = await this.client.send(
          new GetDeploymentConfigCommand({ deploymentConfigName: name }),
          opts,
        );
        const routing = fromTrafficRouting(out.deploymentConfigInfo?.trafficRoutingConfig);
        return routing ? { name, routing } : { name };
      }),
    );
  }

  async createDeploymentConfig(name: string, routing: TimeBasedRouting): Promise<CreateAnswer> {
    return this.caller.call('CreateDeploymentConfig', { resource: `deployment config ${name}` }, (opts) =>
      orExists(
        this.client.send(
          new CreateDeploymentConfigCommand({
            deploymentConfigName: name,
            computePlatform: 'Lambda',
            trafficRoutingConfig: toTrafficRouting(routing),
          }),
          opts,
        ),
        'DeploymentConfigAlreadyExistsException',
      ),
    );
  }

  async createDeployment(input: CreateDeploymentInput): Promise<string> {
    const resource = `deployment group ${input.group} of application ${input.application}`;
    const out = await this.caller.call('CreateDeployment', { resource }, (opts) =>
      this.createClient.send(
        new CreateDeploymentCommand({
          applicationName: input.application,
          deploymentGroupName: input.group,
          deploymentConfigName: input.config,
          description: input.description,
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content: input.appSpec } },
        }),
        opts,
      ),
    );
    if (!out.deploymentId) throw new Error('CreateDeployment answered without a deploymentId');
    return out.deploymentId;
  }

  async getDeployment(id: string): Promise<DeploymentInfo> {
    return this.caller.call('GetDeployment', { resource: `deployment ${id}` }, async (opts) => {
      const out = await this.client.send(new GetDeploymentCommand({ deploymentId: id }), opts);
      return fromDeploymentInfo(id, out.deploymentInfo);
    });
  }

  /** Every page: a group rarely has more than one unfinished deployment, but a page is 100 ids. */
  async listActiveDeployments(application: string, group: string): Promise<string[]> {
    return this.listDeployments(application, group, {
      includeOnlyStatuses: [...UNFINISHED_DEPLOYMENT_STATUSES],
    });
  }

  async listDeploymentsSince(application: string, group: string, sinceMs: number): Promise<string[]> {
    return this.listDeployments(application, group, { createTimeRange: { start: new Date(sinceMs) } });
  }

  private async listDeployments(
    application: string,
    group: string,
    filter: Pick<ListDeploymentsCommandInput, 'includeOnlyStatuses' | 'createTimeRange'>,
  ): Promise<string[]> {
    const resource = `deployment group ${group} of application ${application}`;
    const bound = { deadlineMs: this.caller.bounds.listMs };
    return this.caller.call(
      'ListDeployments',
      { resource },
      async (opts) => {
        const ids: string[] = [];
        let nextToken: string | undefined;
        do {
          const out = await this.client.send(
            new ListDeploymentsCommand({
              applicationName: application,
              deploymentGroupName: group,
              ...filter,
              nextToken,
            }),
            opts,
          );
          ids.push(...(out.deployments ?? []));
          nextToken = out.nextToken;
        } while (nextToken);
        return ids;
      },
      bound,
    );
  }

  async stopDeployment(id: string, autoRollback: boolean): Promise<StopAnswer> {
    return this.caller.call('StopDeployment', { resource: `deployment ${id}` }, async (opts) => {
      try {
        await this.client.send(
          new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: autoRollback }),
          opts,
        );
        return 'stopping' as const;
      } catch (error) {
        // It completed after the caller's last read: nothing to stop (StopAnswer).
        if ((error as { name?: unknown }).name === 'DeploymentAlreadyCompletedException')
          return 'already-ended' as const;
        throw error;
      }
    });
  }

  /**
   * The target ids come from ListDeploymentTargets rather than being guessed: a Lambda
   * deployment has one target (the function), whatever form its id takes.
   */
  async getLifecycleEvents(deploymentId: string) {
    try {
      const ids = await this.caller.call(
        'ListDeploymentTargets',
        { resource: `deployment ${deploymentId}` },
        (opts) => this.client.send(new ListDeploymentTargetsCommand({ deploymentId }), opts),
      );
      const targetId = ids.targetIds?.[0];
      if (!targetId) return undefined;
      const resource = `target ${targetId} of deployment ${deploymentId}`;
      return await this.caller.call('GetDeploymentTarget', { resource }, async (opts) => {
        const out = await this.client.send(new GetDeploymentTargetCommand({ deploymentId, targetId }), opts);
        return fromLifecycleEvents(out.deploymentTarget?.lambdaTarget?.lifecycleEvents);
      });
    } catch (error) {
      if (isLshiftError(error) && error.code === 'CODEDEPLOY_TARGET_NOT_FOUND') return undefined;
      throw error;
    }
  }
}

/** A Get… of something that does not exist is `undefined`, not an error: init creates it. */
/** `exists` when CodeDeploy says one of that name exists already (CreateAnswer). */
async function orExists(call: Promise<unknown>, alreadyExists: string): Promise<CreateAnswer> {
  try {
    await call;
    return 'created';
  } catch (error) {
    if ((error as { name?: unknown }).name === alreadyExists) return 'exists';
    throw error;
  }
}

async function orMissing<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isCodeDeployMissing(error)) return undefined;
    throw error;
  }
}
