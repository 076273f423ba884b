import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AwsClientOptions } from '../../src/aws/clients.js';

/** The options createRuntime hands the AWS clients (the real createLambdaPort still runs). */
const passed: AwsClientOptions[] = [];
vi.mock('../../src/aws/clients.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/aws/clients.js')>();
  return {
    ...actual,
    createLambdaPort: (o: AwsClientOptions, waiter: object) => {
      passed.push(o);
      return actual.createLambdaPort(o, waiter);
    },
  };
});

const { createLambdaClient } = await import('../../src/aws/clients.js');
const { createRuntime } = await import('../../src/cli/runtime.js');

const ENV_KEYS = ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SHARED_CREDENTIALS_FILE'];

/**
 * src/cli/runtime.ts wires the SDK's warnings to lshift's stderr (the output choke point), so a
 * warning quoting an endpoint's or a file's text is printed without its escapes and cannot start a
 * workflow command. Without the wiring the clients fall back to console.warn.
 */
describe('createRuntime: SDK warnings', () => {
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  afterEach(() => {
    vi.restoreAllMocks();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    passed.length = 0;
  });

  it('reach stderr through the choke point, made printable, not console.warn', async () => {
    // A named profile beside access keys in the environment: the case in which lshift gives the
    // SDK clients a logger of its own (src/aws/profile-check.ts).
    const credentials = join(mkdtempSync(join(tmpdir(), 'lshift-sdkwarn-')), 'credentials');
    writeFileSync(credentials, '[ci]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = secret\n');
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = credentials;
    process.env['AWS_PROFILE'] = 'ci';
    process.env['AWS_ACCESS_KEY_ID'] = 'AKIDENVVALUE';
    process.env['AWS_SECRET_ACCESS_KEY'] = 'envsecret';

    await createRuntime({ region: 'us-east-1' }, { functions: ['orders'] });
    expect(passed).toHaveLength(1);

    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // The client built from exactly what the runtime passed, warning as the SDK does.
    const client = await createLambdaClient(passed[0]);
    client.config.logger.warn('endpoint says \u001b[2Jcleared\n::error::forged');
    expect(written.join('')).toBe('endpoint says \uFFFD[2Jcleared\n\uFFFD::error::forged\n');
    expect(warn).not.toHaveBeenCalled();
  });
});
