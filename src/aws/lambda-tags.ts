/**
 * The function tags lshift keeps its deployment records in (ListTags, TagResource, UntagResource),
 * each one bounded call through the adapter's BoundedCaller with its errors mapped. Apart from
 * LambdaAdapter because the record store is a responsibility of its own, and the only calls of
 * the adapter that may be urgent (`RequestUrgency`: put ahead of the paced calls waiting).
 */
import type { RequestUrgency } from '../ports/lambda.js';
import type { FeatureReads } from './lambda-feature-reads.js';
import { functionNameOf } from './lambda-mappers.js';
import { loadLambdaSdk } from './sdk-modules.js';

const { ListTagsCommand, TagResourceCommand, UntagResourceCommand } = loadLambdaSdk();

export async function readTags(
  r: FeatureReads,
  functionArn: string,
  opts: RequestUrgency = {},
): Promise<Record<string, string>> {
  const out = await r.caller.call(
    'ListTags',
    { functionName: functionNameOf(functionArn) },
    (o) => r.client.send(new ListTagsCommand({ Resource: functionArn }), o),
    { urgent: opts.urgent },
  );
  return { ...(out.Tags ?? {}) };
}

export async function writeTags(
  r: FeatureReads,
  functionArn: string,
  tags: Record<string, string>,
  opts: RequestUrgency = {},
): Promise<void> {
  if (Object.keys(tags).length === 0) return;
  await r.caller.call(
    'TagResource',
    { functionName: functionNameOf(functionArn) },
    (o) => r.client.send(new TagResourceCommand({ Resource: functionArn, Tags: tags }), o),
    { urgent: opts.urgent },
  );
}

export async function removeTags(r: FeatureReads, functionArn: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await r.caller.call('UntagResource', { functionName: functionNameOf(functionArn) }, (o) =>
    r.client.send(new UntagResourceCommand({ Resource: functionArn, TagKeys: keys }), o),
  );
}
