/**
 * oclif's help, printed through lshift's output choke point (output.ts) instead of console.log:
 * `lshift help`, `--help` and a plugin command's help are made printable like every other text
 * lshift writes. Configured as `oclif.helpClass` in package.json.
 */
import { format } from 'node:util';
import { Help } from '@oclif/core';
import { stderr, stdout } from './output.js';

export default class LshiftHelp extends Help {
  protected override log(...args: string[]): void {
    (this.opts.sendToStderr ? stderr : stdout).write(`${format(...args)}\n`);
  }
}
