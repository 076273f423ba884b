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
  /**
   * oclif takes a topic for one with children when any topic's name *contains* `<name>:`
   * (@oclif/core help/index.js `_topics`): `codedeploy:init` made `deploy` a topic, and the root
   * help listed `deploy` under TOPICS as well as under COMMANDS. A child's name starts with it.
   */
  protected override get sortedTopics() {
    return super.sortedTopics.filter((topic) =>
      this.config.topics.some((other) => other.name.startsWith(`${topic.name}:`)),
    );
  }

  protected override log(...args: string[]): void {
    (this.opts.sendToStderr ? stderr : stdout).write(`${format(...args).replace(STYLE, '')}\n`);
  }
}
