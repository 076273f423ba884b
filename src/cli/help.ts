/**
 * oclif's help, printed through lshift's output choke point (output.ts) instead of console.log:
 * `lshift help`, `--help` and a plugin command's help are made printable like every other text
 * lshift writes. Configured as `oclif.helpClass` in package.json.
 */
import { format } from 'node:util';
import { Help } from '@oclif/core';
import { stderr, stdout } from './output.js';

/**
 * The styles (SGR: bold, dim, colours) oclif puts on its headings when stdout is a terminal or
 * FORCE_COLOR is set. The choke point shows every ESC as �, so they read `�[1mUSAGE�[22m`:
 * dropped here, plain text instead.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: an SGR sequence starts with ESC.
const STYLE = /\u001b\[[0-9;]*m/g;

export default class LshiftHelp extends Help {
  protected override log(...args: string[]): void {
    (this.opts.sendToStderr ? stderr : stdout).write(`${format(...args).replace(STYLE, '')}\n`);
  }
}
