/**
 * The smallest whole zip archive Lambda would unzip: one stored file (`index.js` by default) with
 * its local header, central directory and end record — the sandbox's demo package builder.
 * lshift refuses a truncated or empty archive before any AWS call, so tests that upload a
 * package need a real one.
 */
import { buildZip } from '../../src/sandbox/demo-zip.js';

export function tinyZip(content = 'exports.handler = async () => 1;\n', fileName = 'index.js'): Buffer {
  return buildZip(fileName, content);
}
