/** Reading CodeDeploy request members: each failure names the member and its rule. */
import { codeDeployErrors } from './errors.js';

export type Input = Record<string, unknown>;

/** A required string member: missing → the operation's `<Name>RequiredException`. */
export function requiredString(input: Input, member: string, missingShape: string, label = member): string {
  const value = input[member];
  if (value === undefined || value === null || value === '') {
    throw codeDeployErrors.make(missingShape, `The ${label} is required.`);
  }
  if (typeof value !== 'string') {
    throw codeDeployErrors.invalidInput(`${member} must be a string, not ${JSON.stringify(value)}.`);
  }
  return value;
}

/** Names of applications, groups and configs: 1–100 characters. */
export function checkName(value: string, invalidShape: string, label: string): string {
  if (value.length > 100) {
    throw codeDeployErrors.make(
      invalidShape,
      `The ${label} ${value.slice(0, 40)}… is longer than 100 characters.`,
    );
  }
  return value;
}

export function optionalString(input: Input, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw codeDeployErrors.invalidInput(`${member} must be a string, not ${JSON.stringify(value)}.`);
  }
  return value;
}

export function optionalObject(input: Input, member: string): Input | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw codeDeployErrors.invalidInput(`${member} must be an object.`);
  }
  return value as Input;
}

/** Epoch seconds, as awsJson1_1 sends timestamps. */
export function seconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}
