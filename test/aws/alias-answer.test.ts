/**
 * An alias answer without FunctionVersion (an endpoint that is not Lambda) was read as version ''
 * and `status` printed "all traffic on version " with exit 0 (found by a hostile pass).
 */
import { describe, expect, it } from 'vitest';
import { toAliasInfo } from '../../src/aws/lambda-mappers.js';

describe('an alias answer from Lambda', () => {
  it('is read with its version, weights and revision', () => {
    expect(
      toAliasInfo({
        Name: 'live',
        FunctionVersion: '3',
        RevisionId: 'r-1',
        RoutingConfig: { AdditionalVersionWeights: { '4': 0.1 } },
      }),
    ).toEqual({ name: 'live', functionVersion: '3', additionalWeights: { '4': 0.1 }, revisionId: 'r-1' });
  });

  it.each([
    ['no FunctionVersion', { Name: 'live', RevisionId: 'r-1' }],
    ['an empty FunctionVersion', { Name: 'live', FunctionVersion: '', RevisionId: 'r-1' }],
  ])('with %s is AWS_ERROR (exit 1), never a version of ""', (_, answer) => {
    expect(() => toAliasInfo(answer)).toThrow(
      expect.objectContaining({
        code: 'AWS_ERROR',
        exitCode: 1,
        message:
          "Lambda's answer for alias live names no version (FunctionVersion): it is not an answer lshift can read.",
      }),
    );
  });
});
