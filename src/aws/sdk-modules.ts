/**
 * The SDK client packages, loaded with require() rather than import. They ship CommonJS bundles
 * (client-lambda's is ~220 kB); importing CommonJS from an ES module makes Node lex the whole
 * source to find its export names, ~50 ms of every AWS command's start on this project's machines
 * (`npm run bench -- startup`). require() skips that. Call these lazily: each load costs the
 * client's own start-up, which `--help`, `--version` and `plan` must never pay.
 * scripts/build.mjs replaces this module with plain `require` calls in the `status` bundle: keep
 * the two in step when adding a client.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function loadLambdaSdk(): typeof import('@aws-sdk/client-lambda') {
  return require('@aws-sdk/client-lambda');
}

export function loadCloudWatchSdk(): typeof import('@aws-sdk/client-cloudwatch') {
  return require('@aws-sdk/client-cloudwatch');
}

export function loadCodeDeploySdk(): typeof import('@aws-sdk/client-codedeploy') {
  return require('@aws-sdk/client-codedeploy');
}
