/**
 * Preflight for event source mappings (issue 14). A mapping invokes the function ARN it was
 * created with: one on the alias (`fn:live`) follows the alias's weights, so the shift reaches its
 * traffic; one on a version (`fn:7`) or on the unqualified function (`$LATEST`) does not move
 * with the alias at all (https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html,
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html: FunctionName
 * may be a version or alias ARN). ListEventSourceMappings takes a qualified FunctionName
 * (https://docs.aws.amazon.com/lambda/latest/api/API_ListEventSourceMappings.html); lshift asks
 * for the unqualified function, the alias and the stable version and merges by UUID, so it does
 * not depend on whether an unqualified listing includes the qualified ones. A mapping on another
 * alias or an older version belongs to other traffic and is not this shift's business.
 */
import type { EventSourceMappingInfo, LambdaPort } from '../ports/lambda.js';
import { logWarn } from './emit.js';
import { type CheckDeps, guard, pass } from './preflight-checks.js';

type Deps = CheckDeps & { lambda: LambdaPort };

interface Where {
  functionName: string;
  alias: string;
  stableVersion: string;
}

/** `…:function:fn:live` → `live`; an unqualified ARN → `$LATEST`. */
export function qualifierOfArn(arn: string): string {
  const parts = arn.split(':');
  const i = parts.indexOf('function');
  return (i >= 0 && parts[i + 2]) || '$LATEST';
}

export async function checkEventSources(deps: Deps, where: Where): Promise<EventSourceMappingInfo[]> {
  const { functionName: fn, alias, stableVersion } = where;
  const names = [fn, `${fn}:${alias}`, `${fn}:${stableVersion}`];
  const lists = await guard(deps, 'event-sources', () =>
    Promise.all(names.map((name) => deps.lambda.listEventSourceMappings(name))),
  );
  const byUuid = new Map<string, EventSourceMappingInfo>();
  for (const m of lists.flat()) byUuid.set(m.uuid, m);
  const mappings = [...byUuid.values()];
  const following = mappings.filter((m) => qualifierOfArn(m.functionArn) === alias);
  const bypassing = mappings.filter((m) => {
    const q = qualifierOfArn(m.functionArn);
    return q === '$LATEST' || q === stableVersion;
  });
  for (const m of bypassing) {
    const q = qualifierOfArn(m.functionArn);
    const target = q === '$LATEST' ? `the unqualified function (${fn}, i.e. $LATEST)` : `version ${q}`;
    logWarn(
      deps,
      `event source mapping ${m.uuid} (${m.eventSourceArn ?? 'unknown source'}) invokes ${target}, not alias ${alias}: the shift will not reach that traffic. To shift it too, point it at the alias: \`aws lambda update-event-source-mapping --uuid ${m.uuid} --function-name ${fn}:${alias}\``,
      'event-source',
    );
  }
  pass(deps, 'event-sources', describe(following, bypassing, alias));
  return mappings;
}

function describe(
  following: EventSourceMappingInfo[],
  bypassing: EventSourceMappingInfo[],
  alias: string,
): string {
  if (following.length === 0 && bypassing.length === 0)
    return 'no event source mapping invokes this alias or its versions';
  const list = (ms: EventSourceMappingInfo[]) => ms.map((m) => m.eventSourceArn ?? m.uuid).join(', ');
  const parts: string[] = [];
  if (following.length > 0)
    parts.push(`${following.length} on alias ${alias} (follow the shift: ${list(following)})`);
  if (bypassing.length > 0)
    parts.push(
      `${bypassing.length} on a version or $LATEST (the shift does not reach them: ${list(bypassing)})`,
    );
  return `event source mappings: ${parts.join('; ')}`;
}
