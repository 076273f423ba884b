/**
 * The paginated listings of the adapter (ListVersionsByFunction, ListFunctions): one bounded call
 * each (./all-pages.ts), under the longer deadline a listing gets (`listMs`) since an account may
 * need many pages.
 * Apart from LambdaAdapter so the adapter keeps the single-request calls.
 */
import type { FunctionInfo } from '../ports/lambda.js';
import { readAllPages } from './all-pages.js';
import type { FeatureReads } from './lambda-feature-reads.js';
import { sortPublishedVersions, toFunctionInfo } from './lambda-mappers.js';
import { loadLambdaSdk } from './sdk-modules.js';

const { paginateListFunctions, paginateListVersionsByFunction } = loadLambdaSdk();

export async function readVersions(r: FeatureReads, functionName: string): Promise<FunctionInfo[]> {
  const versions = await readAllPages(
    r,
    'ListVersionsByFunction',
    { functionName },
    (o) =>
      paginateListVersionsByFunction({ client: r.client }, { FunctionName: functionName, MaxItems: 50 }, o),
    (page) => (page.Versions ?? []).map(toFunctionInfo),
  );
  return sortPublishedVersions(versions);
}

export async function readFunctions(
  r: FeatureReads,
): Promise<{ functionName: string; functionArn: string }[]> {
  return readAllPages(
    r,
    'ListFunctions',
    { resource: 'the functions of this account and region' },
    (o) => paginateListFunctions({ client: r.client }, { MaxItems: 50 }, o),
    (page) =>
      (page.Functions ?? []).map((f) => ({
        functionName: f.FunctionName ?? '',
        functionArn: f.FunctionArn ?? '',
      })),
  );
}
