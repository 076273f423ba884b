/**
 * DeleteFunction: the function goes with its versions, aliases, tags and configs, as in Lambda
 * (lshift's deployment record, a tag, goes with it). Only the whole function: a `Qualifier`
 * (deleting one version) is not simulated and is refused by name.
 * https://docs.aws.amazon.com/lambda/latest/api/API_DeleteFunction.html
 */
import { lambdaErrors } from './api-error.js';
import { type LambdaCall, type LambdaReply, label } from './lambda-call.js';
import { parseFunctionRef, requireUnqualified } from './lambda-names.js';
import type { FunctionData } from './types.js';

export function deleteFunction(call: LambdaCall): LambdaReply {
  const { sb } = call;
  if (call.query.has('Qualifier'))
    throw lambdaErrors.invalidParameter(
      'The sandbox deletes whole functions only: DeleteFunction with a Qualifier (one version) is not simulated.',
    );
  const fn = requireUnqualified(sb, parseFunctionRef(label(call, 'FunctionName')));
  delete (sb.data.functions as Record<string, FunctionData>)[fn.name];
  sb.markDirty();
  return { status: 204 };
}
