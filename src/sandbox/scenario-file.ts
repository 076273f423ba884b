/** Reads a scenario file (JSON or YAML) and checks it (scenario-validation.ts). */

import { echoPath, echoPathsIn } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { describeSyntaxError } from '../domain/file-syntax.js';
import { describeRefusal, readSmallRegularFile } from './regular-file.js';
import type { SandboxScenario } from './scenario.js';
import { validateScenario } from './scenario-validation.js';
import { parseYamlLinear } from './yaml-linear.js';

export function loadScenarioFile(path: string): SandboxScenario {
  const read = readSmallRegularFile(path);
  if (read.kind !== 'text') {
    const problem = read.kind === 'missing' ? 'does not exist' : describeRefusal(read);
    throw new UsageError(
      'SANDBOX_SCENARIO_UNREADABLE',
      echoPathsIn(`The scenario file ${path} ${problem}.`, path),
      {
        hint: '--scenario takes a JSON or YAML file (see docs/sandbox.md). Check the path.',
      },
    );
  }
  // A byte order mark (Notepad's UTF-8) is no JSON token: the config file drops it too.
  const text = read.text.replace(/^\uFEFF/, '');
  let raw: unknown;
  try {
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYamlLinear(text);
  } catch (error) {
    throw new UsageError(
      'SANDBOX_SCENARIO_INVALID',
      `The scenario file ${echoPath(path)} is not valid JSON/YAML: ${describeSyntaxError(text, error)}`,
      {
        hint: 'See docs/sandbox.md for the scenario format.',
      },
    );
  }
  return validateScenario(raw, echoPath(path));
}
