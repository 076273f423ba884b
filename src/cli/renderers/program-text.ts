import {
  describeReleaseStep,
  type ReleaseProgram,
  serializeReleaseStep,
} from '../../domain/release-program.js';

/** The release program as numbered lines: what `plan` and `deploy --dry-run` would run, in order. */
export function renderProgram(program: ReleaseProgram): string {
  const width = String(program.steps.length).length;
  return [
    'Release program:',
    ...program.steps.map((step, i) => `  ${String(i + 1).padStart(width)}. ${describeReleaseStep(step)}`),
  ].join('\n');
}

/** The program under `--json`: `index` is 0-based, the position a resume starts from. */
export function serializeProgram(program: ReleaseProgram): Record<string, unknown>[] {
  return program.steps.map((step, index) => ({ index, ...serializeReleaseStep(step) }));
}
