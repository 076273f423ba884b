import { describe, expect, it } from 'vitest';
import { assertCredentialVariables } from '../../src/aws/credential-env.js';
import { mapAwsError } from '../../src/aws/error-mapping.js';
import { UsageError } from '../../src/domain/errors.js';

/**
 * `AWS_SESSION_TOKEN=$'SECRETTOKEN\r' lshift status demo` failed at the first call as AWS_ERROR
 * "TypeError: Invalid character in header content" with a hint to read an AWS message there was
 * none of (hostile pass): a local bad variable, named with its character, never its value.
 */
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMIK7MDENG' };

function refusal(env: NodeJS.ProcessEnv): UsageError {
  try {
    assertCredentialVariables(undefined, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('assertCredentialVariables did not refuse');
}

describe('assertCredentialVariables', () => {
  it.each(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])(
    '%s ending with a carriage return: CREDENTIALS_INVALID, exit 2, saying where a CR comes from',
    (variable) => {
      const error = refusal({ ...KEYS, [variable]: 'SECRETVALUE\r' });
      expect(error.code).toBe('CREDENTIALS_INVALID');
      expect(error.exitCode).toBe(2);
      expect(error.message).toBe(
        `${variable} ends with a carriage return (\\r), as a file saved with Windows line endings leaves; an AWS credential is ASCII letters, digits, +, / and = only.`,
      );
      expect(error.hint).toContain(`tr -d '\\r'`);
      expect(`${error.message} ${error.hint}`).not.toContain('SECRETVALUE');
    },
  );

  it.each([
    ['a line break inside', 'SECRET\nabc', 'holds a line feed (\\n, a line break) at character 7 of 10'],
    ['a Windows line ending', 'SECRETVALUE\r\n', 'ends with a Windows line ending (\\r\\n)'],
    ['a trailing line feed', 'SECRETVALUE\n', 'ends with a line feed (\\n, a line break)'],
    ['a leading tab', '\tSECRETVALUE', 'starts with a tab (\\t)'],
    ['an escape', 'SEC\u001bRET', 'holds a control character (U+001B) at character 4 of 7'],
    [
      'a zero-width space',
      'SECRET\u200bVALUE',
      'holds a character outside ASCII (U+200B) at character 7 of 12',
    ],
    ['a no-break space', 'SECRET\u00a0', 'holds a no-break space (U+00A0) at character 7 of 7'],
  ])('AWS_SESSION_TOKEN with %s: named, with its place, never shown', (_name, token, said) => {
    const error = refusal({ ...KEYS, AWS_SESSION_TOKEN: token });
    expect(error.message).toBe(
      `AWS_SESSION_TOKEN ${said}; an AWS credential is ASCII letters, digits, +, / and = only.`,
    );
    expect(`${error.message} ${error.hint}`).not.toContain('SECRET');
    expect(error.hint).toContain('Its value is not shown.');
  });

  it('leaves alone what the SDK does not read: one key alone, or a profile named (it wins over the keys)', () => {
    expect(() =>
      assertCredentialVariables(undefined, { AWS_SESSION_TOKEN: 'x\r', AWS_ACCESS_KEY_ID: 'A' }),
    ).not.toThrow();
    // AWS_CONFIG_FILE is /dev/null in tests: the profile takes no keys from the environment.
    expect(() => assertCredentialVariables('prod', { ...KEYS, AWS_SESSION_TOKEN: 'x\r' })).not.toThrow();
    expect(() =>
      assertCredentialVariables(undefined, { ...KEYS, AWS_PROFILE: 'prod', AWS_SESSION_TOKEN: 'x\r' }),
    ).not.toThrow();
    expect(() =>
      assertCredentialVariables(undefined, { ...KEYS, AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjE+/=' }),
    ).not.toThrow();
  });
});

describe('mapAwsError: a header Node would not send', () => {
  function invalidChar(header: string): Error {
    const error = new TypeError(`Invalid character in header content ["${header}"]`) as TypeError & {
      code: string;
    };
    error.code = 'ERR_INVALID_CHAR';
    return error;
  }

  it('a credential header is CREDENTIALS_INVALID (exit 1, not sent); another header stays an AWS_ERROR', () => {
    const ctx = { operation: 'lambda:GetAlias', functionName: 'demo', alias: 'live' };
    const token = mapAwsError(invalidChar('x-amz-security-token'), ctx);
    expect(token.code).toBe('CREDENTIALS_INVALID');
    expect(token.exitCode).toBe(1);
    expect(token.message).toContain(
      'lambda:GetAlias on function demo alias live was not sent: the session token holds',
    );
    expect(token.hint).not.toContain('Read the AWS message');
    expect(mapAwsError(invalidChar('authorization'), ctx).message).toContain('the access key ID holds');
    expect(mapAwsError(invalidChar('x-amz-user-agent'), ctx).code).toBe('AWS_ERROR');
  });
});
