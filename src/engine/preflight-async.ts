/**
 * Preflight for asynchronous invocation (issue 14): which settings will handle each version's
 * share of the alias's asynchronous events during the shift (src/domain/async-invoke.ts), and a
 * refusal before any traffic moves when the new version would lose the stable version's
 * on-failure destination (its failed events would be dropped). A lost dead-letter queue is
 * already refused by the same-DLQ check: Lambda will not split an alias between versions whose
 * DLQs differ (https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html).
 */
import { type AsyncSettings, compareAsyncSettings, settingsDuringShift } from '../domain/async-invoke.js';
import { OperationError } from '../domain/errors.js';
import type { FunctionInfo, LambdaPort } from '../ports/lambda.js';
import { type CheckDeps, guard, pass, refuse } from './preflight-checks.js';

type Deps = CheckDeps & { lambda: LambdaPort };

interface Where {
  functionName: string;
  alias: string;
}

export async function checkAsyncSettings(
  deps: Deps,
  where: Where,
  stable: FunctionInfo,
  target: FunctionInfo,
): Promise<void> {
  const { functionName: fn, alias } = where;
  const configs = await guard(deps, 'async-destinations', () => deps.lambda.listEventInvokeConfigs(fn));
  const s = settingsDuringShift(configs, alias, stable.version, stable.deadLetterTargetArn);
  const t = settingsDuringShift(configs, alias, target.version, target.deadLetterTargetArn);
  const { lost, changed } = compareAsyncSettings(s, t);
  if (lost.length > 0) {
    refuse(
      deps,
      'async-destinations',
      // Exit 1 (OperationError): the new version is published but not safe to shift to yet.
      new OperationError(
        'ASYNC_DESTINATION_LOST',
        `Function ${fn}: during the shift, version ${t.version} would handle its share of alias ${alias}'s asynchronous events without the ${lost.join(' and ')} that version ${s.version} has (from ${s.source}; version ${t.version} gets ${t.source}); its failed events would be lost.`,
        { hint: fixFor(fn, alias, s, t), context: { functionName: fn, alias } },
      ),
    );
  }
  pass(
    deps,
    'async-destinations',
    changed.length > 0
      ? `asynchronous invocation differs: ${changed.join('; ')} (version ${s.version}: ${origin(s)}; version ${t.version}: ${origin(t)})`
      : `both versions handle asynchronous events alike (${describe(s)})`,
  );
}

function origin(s: AsyncSettings): string {
  return s.source === 'defaults' ? "Lambda's defaults" : `the config on ${s.source}`;
}

function describe(s: AsyncSettings): string {
  const failure = s.onFailure ? `on failure → ${s.onFailure}` : 'no on-failure destination';
  return `${s.source}: ${failure}, ${s.retryAttempts} retries, max age ${s.maxEventAgeSeconds} s`;
}

/** The AWS CLI line that gives the new version the stable one's destination, or the alias-wide fix. */
function fixFor(fn: string, alias: string, s: AsyncSettings, t: AsyncSettings): string {
  const destination = JSON.stringify({ OnFailure: { Destination: s.onFailure } });
  return (
    `Give version ${t.version} the same destination: \`aws lambda put-function-event-invoke-config --function-name ${fn} --qualifier ${t.version} --destination-config '${destination}'\` ` +
    `(keep its retry/age settings), or configure it once on the alias (\`--qualifier ${alias}\`) so both versions share it; then deploy again.`
  );
}
