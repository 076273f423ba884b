/**
 * A LambdaPort that answers only the methods a test gives it: any other call rejects with
 * `unexpected <method>`, so a use-case that reaches further than the test expects fails it.
 */
import type { LambdaPort } from '../../src/ports/lambda.js';

export function lambdaStub(methods: Partial<LambdaPort>): LambdaPort {
  const unused = (name: string) => () => Promise.reject(new Error(`unexpected ${name}`));
  return {
    getFunction: unused('getFunction'),
    getAlias: unused('getAlias'),
    listVersions: unused('listVersions'),
    updateCode: unused('updateCode'),
    waitUntilUpdated: unused('waitUntilUpdated'),
    waitUntilActive: unused('waitUntilActive'),
    publishVersion: unused('publishVersion'),
    createAlias: unused('createAlias'),
    updateAlias: unused('updateAlias'),
    invoke: unused('invoke'),
    checkInvoke: unused('checkInvoke'),
    listTags: unused('listTags'),
    tagResource: unused('tagResource'),
    untagResource: unused('untagResource'),
    listFunctions: unused('listFunctions'),
    getCodeLocation: unused('getCodeLocation'),
    listEventInvokeConfigs: unused('listEventInvokeConfigs'),
    listEventSourceMappings: unused('listEventSourceMappings'),
    getProvisionedConcurrency: unused('getProvisionedConcurrency'),
    putProvisionedConcurrency: unused('putProvisionedConcurrency'),
    deleteProvisionedConcurrency: unused('deleteProvisionedConcurrency'),
    ...methods,
  };
}
