/**
 * The version `lshift alias` moves to: a published version number (not $LATEST), which exists and
 * can serve traffic. Checked before the alias is read, so a refusal changes nothing.
 */
import { echoInput } from '../domain/echo.js';
import { isLshiftError, PreflightError, UsageError } from '../domain/errors.js';
import { isPublishedVersionNumber } from '../domain/version-number.js';
import type { FunctionInfo, LambdaPort } from '../ports/lambda.js';

/** What the person asked for: the alias of a function, to a version. */
export interface VersionAsked {
  functionName: string;
  alias: string;
  version: string;
}

/** The version's shape, checked again by moveAlias; the command checks it before resolving a region. */
export function checkVersionArgument(req: VersionAsked): void {
  const context = { functionName: req.functionName, alias: req.alias, version: req.version };
  if (req.version === '$LATEST') {
    throw new UsageError('ALIAS_TARGET_LATEST', `Alias ${req.alias} cannot point at $LATEST with lshift.`, {
      context,
      hint: `Publish a version first (\`lshift publish ${req.functionName}\`) and move the alias to its number.`,
    });
  }
  if (!isPublishedVersionNumber(req.version)) {
    throw new UsageError(
      'VERSION_INVALID',
      `"${echoInput(req.version)}" is not a published version number.`,
      {
        context,
        hint: 'Pass a version number such as 7.',
      },
    );
  }
}

/** The version must exist (exit 2 when it does not) and must not be in State Failed. */
export async function readTargetVersion(lambda: LambdaPort, req: VersionAsked): Promise<FunctionInfo> {
  let info: FunctionInfo;
  try {
    info = await lambda.getFunction(req.functionName, req.version);
  } catch (error) {
    if (isLshiftError(error) && error.code === 'VERSION_NOT_FOUND') {
      // A 404 on a qualified read does not say whether the function or the version is missing;
      // a missing function is FUNCTION_NOT_FOUND (exit 1) on every path (docs/exit-codes.md).
      await lambda.getFunction(req.functionName);
      throw new PreflightError('VERSION_NOT_FOUND', error.message, {
        hint: error.hint,
        context: { functionName: req.functionName, version: req.version },
        cause: error,
      });
    }
    throw error;
  }
  if (info.version !== req.version) {
    throw new PreflightError(
      'VERSION_NOT_FOUND',
      `Version ${req.version} of function ${req.functionName} is not a published version (Lambda returned ${info.version}).`,
      {
        context: { functionName: req.functionName, version: req.version },
        hint: 'Pass a published version number.',
      },
    );
  }
  if (info.state === 'Failed') {
    throw new PreflightError(
      'VERSION_NOT_ACTIVE',
      `Version ${req.version} of function ${req.functionName} is in State Failed and cannot serve traffic.`,
      {
        context: { functionName: req.functionName, version: req.version },
        hint: 'Publish a working version.',
      },
    );
  }
  return info;
}
