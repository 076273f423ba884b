/**
 * The paginated listings of the adapter (ListVersionsByFunction, ListFunctions): one bounded call
 * each, under the longer deadline a listing gets (`listMs`) since an account may need many pages.
 * Apart from LambdaAdapter so the adapter keeps the single-request calls.
 */
import type { FunctionInfo } from '../ports/lambda.js';
import type { FeatureReads } from './lambda-feature-reads.js';
import { sortPublishedVersions, toFunctionInfo } from './lambda-mappers.js';
import { loadLambdaSdk } from './sdk-modules.js';

const { paginateListFunctions, paginateListVersionsByFunction } = loadLambdaSdk();

export async function readVersions(r: FeatureReads, functionName: string): Promise<FunctionInfo[]> {
  return r.caller.call(
    'ListVersionsByFunction',
    { functionName },
    async (o) => {
      const versions: FunctionInfo[] = [];
      const pages = paginateListVersionsByFunction(
        { client: r.client },
        { FunctionName: functionName, MaxItems: 50 },
        o,
      );
      for await (const page of pages) {
        for (const v of page.Versions ?? []) versions.push(toFunctionInfo(v));
      }
      return sortPublishedVersions(versions);
    },
    { deadlineMs: r.listMs },
  );
}

export async function readFunctions(
  r: FeatureReads,
): Promise<{ functionName: string; functionArn: string }[]> {
  return r.caller.call(
    'ListFunctions',
    { resource: 'the functions of this account and region' },
    async (o) => {
      const out: { functionName: string; functionArn: string }[] = [];
      for await (const page of paginateListFunctions({ client: r.client }, { MaxItems: 50 }, o)) {
        for (const f of page.Functions ?? []) {
          out.push({ functionName: f.FunctionName ?? '', functionArn: f.FunctionArn ?? '' });
        }
      }
      return out;
    },
    { deadlineMs: r.listMs },
  );
}
