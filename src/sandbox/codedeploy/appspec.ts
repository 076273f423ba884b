/**
 * The AppSpec of a Lambda deployment, given inline (revisionType AppSpecContent, JSON or YAML):
 * one `AWS::Lambda::Function` resource with Name, Alias, CurrentVersion and TargetVersion, and
 * optional BeforeAllowTraffic / AfterAllowTraffic hook functions.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-resources.html
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_AppSpecContent.html
 */

import { createHash } from 'node:crypto';
import { parseYamlLinear } from '../yaml-linear.js';
import { codeDeployErrors } from './errors.js';
import type { Input } from './input.js';

export interface AppSpec {
  content: string;
  sha256: string;
  functionName: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
  hooks: { BeforeAllowTraffic?: string; AfterAllowTraffic?: string };
}

const HOOK_EVENTS = ['BeforeAllowTraffic', 'AfterAllowTraffic'] as const;

const invalid = (message: string) => codeDeployErrors.make('InvalidRevisionException', message);

export function readRevision(raw: unknown): AppSpec {
  if (raw === undefined || raw === null) {
    throw codeDeployErrors.make('RevisionRequiredException', 'The revision (an AppSpecContent) is required.');
  }
  const revision = raw as Input;
  if (revision.revisionType !== 'AppSpecContent') {
    throw invalid(
      `The lshift sandbox takes Lambda revisions inline only: revisionType AppSpecContent (got ${JSON.stringify(revision.revisionType)}).`,
    );
  }
  const spec = (revision.appSpecContent ?? {}) as Input;
  if (typeof spec.content !== 'string' || spec.content === '') {
    throw invalid('revision.appSpecContent.content must hold the AppSpec (JSON or YAML).');
  }
  const sha256 = createHash('sha256').update(spec.content).digest('hex');
  if (spec.sha256 !== undefined && String(spec.sha256).toLowerCase() !== sha256) {
    throw invalid(`revision.appSpecContent.sha256 does not match the content (its SHA-256 is ${sha256}).`);
  }
  return { content: spec.content, sha256, ...parseAppSpec(spec.content) };
}

function parseAppSpec(content: string): Omit<AppSpec, 'content' | 'sha256'> {
  let doc: unknown;
  try {
    doc = parseYamlLinear(content);
  } catch (error) {
    throw invalid(`The AppSpec content is neither JSON nor YAML: ${(error as Error).message}`);
  }
  const resources = (doc as Input | null)?.Resources;
  if (!Array.isArray(resources) || resources.length !== 1) {
    throw invalid('The AppSpec must list exactly one Lambda function under Resources.');
  }
  const entry = resources[0] as Input | null;
  const resource =
    entry && typeof entry === 'object' ? (Object.values(entry)[0] as Input | undefined) : undefined;
  if (resource?.Type !== undefined && resource.Type !== 'AWS::Lambda::Function') {
    throw invalid(
      `The AppSpec resource has Type ${String(resource.Type)}; a Lambda deployment needs AWS::Lambda::Function.`,
    );
  }
  const props = (resource?.Properties ?? {}) as Input;
  const field = (name: string) => {
    const value = props[name];
    if ((typeof value !== 'string' && typeof value !== 'number') || String(value) === '') {
      throw invalid(`The AppSpec resource's Properties.${name} is missing.`);
    }
    return String(value);
  };
  return {
    functionName: field('Name'),
    alias: field('Alias'),
    currentVersion: field('CurrentVersion'),
    targetVersion: field('TargetVersion'),
    hooks: readHooks((doc as Input).Hooks),
  };
}

function readHooks(raw: unknown): AppSpec['hooks'] {
  if (raw === undefined || raw === null) return {};
  if (!Array.isArray(raw))
    throw invalid('The AppSpec Hooks must be a list such as [{"BeforeAllowTraffic": "fn"}].');
  const hooks: AppSpec['hooks'] = {};
  for (const item of raw) {
    for (const [event, fn] of Object.entries((item ?? {}) as Input)) {
      if (!(HOOK_EVENTS as readonly string[]).includes(event)) {
        throw invalid(
          `The AppSpec hook ${event} is not a Lambda lifecycle event; use BeforeAllowTraffic or AfterAllowTraffic.`,
        );
      }
      if (typeof fn !== 'string' || fn === '')
        throw invalid(`The AppSpec hook ${event} must name a Lambda function.`);
      hooks[event as (typeof HOOK_EVENTS)[number]] = fn;
    }
  }
  return hooks;
}
