/**
 * A version that can carry weighted traffic: a number Lambda published — from 1, no leading zero,
 * never `$LATEST` (https://docs.aws.amazon.com/lambda/latest/dg/configuration-versions.html).
 * Checked before any AWS call wherever a person types one (`deploy --version`, `rollback --to`,
 * `lshift alias`), and in a record lshift reads back.
 */
const PUBLISHED_VERSION = /^[1-9][0-9]{0,9}$/;

export function isPublishedVersionNumber(version: string): boolean {
  return PUBLISHED_VERSION.test(version);
}
