/**
 * What `lshift deploy --dry-run` prints: the head line, what would be published, the warnings,
 * the requests the sandbox saw, and the program — or, with --json, the same as one object.
 */
import type { DryRunReport } from '../../engine/dry-run.js';
import type { PublishForecast } from '../../engine/publish-forecast.js';
import { renderProgram, serializeProgram } from './program-text.js';

/**
 * A dry run's report: what the deploy would warn about before its first write, and with
 * --sandbox the API requests the sandbox saw during it.
 */
export type DryRunOutput = DryRunReport & {
  warnings?: string[];
  sandboxRequests?: Record<string, number>;
  /** Under --engine codedeploy: where CodeDeploy would run it, and with which deployment config. */
  codeDeploy?: {
    application: string;
    group: string;
    config: string;
    /** `--detach`: what CodeDeploy does after the hand-over, which ends the program (dry-run-detach.ts). */
    afterHandOver?: string;
  };
};

/** Lambda and CloudWatch operations that only read. */
const READ_OPERATION = /^(Get|List|Describe)/;

export function renderDryRun(report: DryRunOutput): string {
  const target = `${report.functionName}:${report.alias}`;
  const head = report.nothingToDeploy
    ? `✔ Dry run: ${target} already points at version ${report.targetVersion}; a deploy would do nothing.`
    : `✔ Dry run: every read-only check passed for ${target} (stable version ${report.stableVersion}); nothing was written.`;
  const warnings = (report.warnings ?? []).map((w) => `  Warning: ${w}`);
  const onlyIf = programHeading(report);
  return [
    head,
    describePublishLine(report),
    // Under "most likely nothing to deploy" they apply only with the program: said under its "only if".
    ...(onlyIf ? [] : warnings),
    describeSandboxRequests(report),
    // Nothing would run: a program of weights for a version already live would contradict the
    // head line.
    ...(report.nothingToDeploy
      ? []
      : [
          '',
          onlyIf,
          ...(onlyIf ? warnings : []),
          describeCodeDeployRun(report),
          renderProgram(report.program),
          report.codeDeploy?.afterHandOver,
        ]),
  ]
    .filter((line) => line !== undefined)
    .join('\n');
}

/**
 * Under --engine codedeploy the weights are CodeDeploy's to move (found by a hostile pass: the dry
 * run printed lshift's own program as if lshift wrote each weight).
 */
function describeCodeDeployRun(report: DryRunOutput): string | undefined {
  const cd = report.codeDeploy;
  if (!cd) return undefined;
  if (cd.afterHandOver)
    return `AWS CodeDeploy would move the weights: deployment config ${cd.config} in ${cd.application}/${cd.group}, with lshift's hooks as its lifecycle hooks; with --detach lshift starts it and exits once CodeDeploy has it (docs/codedeploy.md).`;
  return `AWS CodeDeploy would move the weights: deployment config ${cd.config} in ${cd.application}/${cd.group}, with lshift's hooks as its lifecycle hooks; lshift follows it, judges health at each step below, and its settle wait comes after CodeDeploy's last step (docs/codedeploy.md).`;
}

/** Under "most likely nothing to deploy", the program is what would run only if that guess is wrong. */
function programHeading(report: DryRunOutput): string | undefined {
  const forecast = report.publish?.forecast;
  if (forecast?.outcome !== 'likely-same' || forecast.newestVersion !== report.stableVersion)
    return undefined;
  return 'Only if the publish makes a new version after all:';
}

export function describeSandboxRequests(report: {
  sandboxRequests?: Record<string, number>;
}): string | undefined {
  const seen = report.sandboxRequests;
  if (!seen) return undefined;
  const all = Object.entries(seen).map(([op, n]) => `${op} ×${n}`);
  const writes = Object.keys(seen).filter((op) => !READ_OPERATION.test(op));
  const verdict = writes.length === 0 ? 'no write' : `WRITES: ${writes.join(', ')}`;
  return `  The sandbox received ${all.join(', ') || 'no request'}: ${verdict}.`;
}

export function describePublishLine(report: Omit<DryRunReport, 'program'>): string | undefined {
  const p = report.publish;
  if (!p) return `  Target: version ${report.targetVersion} (already published)`;
  const same = p.sameCodeAsLatest ? ' — the same code as $LATEST now' : '';
  const outcome = describeForecast(p.forecast, report.stableVersion);
  switch (p.kind) {
    case 'latest':
      return `  Would publish $LATEST (CodeSha256 ${p.latestCodeSha256})${outcome}`;
    case 'zip':
      return `  Would upload ${p.fileName} (${p.bytes} bytes, CodeSha256 ${p.codeSha256}${same}) and publish it${outcome}`;
    case 's3':
      return `  Would update the code from s3://${p.bucket}/${p.key} and publish it${outcome}`;
    case 'image':
      return `  Would update the image to ${p.imageUri} and publish it${outcome}`;
  }
}

/**
 * What PublishVersion would give, no surer than the reads: a difference they show means a new
 * version; equal code and settings mean Lambda would most likely return the newest version.
 */
export function describeForecast(forecast: PublishForecast, stableVersion: string): string {
  switch (forecast.outcome) {
    case 'new':
      if (forecast.because === 'first')
        return ' as a new version (the function has no published version yet)';
      return forecast.because === 'code'
        ? ` as a new version: its code differs from version ${forecast.newestVersion}'s (the newest)`
        : ` as a new version: its ${forecast.settings.join(', ')} ${forecast.settings.length > 1 ? 'differ' : 'differs'} from version ${forecast.newestVersion}'s (the newest)`;
    case 'likely-same': {
      const v = forecast.newestVersion;
      const why = `its code and configuration match version ${v} (the newest), which Lambda would return instead of a new version`;
      return v === stableVersion
        ? ` — most likely nothing to deploy: ${why}, and the alias is already on it`
        : ` — most likely as the existing version ${v}: ${why}; the deploy would shift the alias to it`;
    }
    case 'unknown':
      return `: a new version, unless that code is version ${forecast.newestVersion}'s and nothing else changed (Lambda returns version ${forecast.newestVersion} then)`;
  }
}

export function serializeDryRun(report: DryRunOutput): Record<string, unknown> {
  const { program, ...rest } = report;
  return {
    status: 'dry_run',
    ...rest,
    program: serializeProgram(program),
    strategy: program.strategy.name,
  };
}
