import { fileURLToPath } from 'node:url';
import { Config, loadHelpClass, settings } from '@oclif/core';
import { afterEach, describe, expect, it, vi } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * oclif's help class is lshift's (package.json `oclif.helpClass`): what help prints goes through
 * the output choke point (src/cli/output.ts), so no line of it can drive the terminal or be a
 * GitHub workflow command.
 */
describe('help output', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('is written through the choke point', async () => {
    settings.enableAutoTranspile = false;
    const config = await Config.load(ROOT);
    const HelpClass = await loadHelpClass(config);
    const help = new HelpClass(config) as unknown as { log(...args: string[]): void };
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    help.log('title \u001b]0;owned\u0007', 'and\n::error::forged');
    expect(written.join('')).toBe('title \uFFFD]0;owned\uFFFD and\n\uFFFD::error::forged\n');
  });

  it('drops the styles oclif puts on its headings at a terminal, which showed as �[1mUSAGE�[22m', async () => {
    settings.enableAutoTranspile = false;
    const config = await Config.load(ROOT);
    const HelpClass = await loadHelpClass(config);
    const help = new HelpClass(config) as unknown as { log(...args: string[]): void };
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    help.log('\u001b[1mUSAGE\u001b[22m\n  $ lshift deploy \u001b[2m[FUNCTION]\u001b[0m');
    expect(written.join('')).toBe('USAGE\n  $ lshift deploy [FUNCTION]\n');
  });
});
