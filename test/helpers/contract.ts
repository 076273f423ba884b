/** Validators for lshift's shipped JSON Schemas (schemas/), for tests of real output. */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

// Formats (date-time) are documentation here: ajv-formats is not a dependency; `time` is checked
// against Date parsing in the tests instead.
const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: false });
const resultSchema = ajv.compile(load('result.schema.json'));
const eventSchema = ajv.compile(load('events.schema.json'));

function check(validate: typeof resultSchema, value: unknown, what: string): void {
  if (!validate(value)) {
    throw new Error(
      `${what} does not match its schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`,
    );
  }
}

export function expectValidResult(value: unknown, what = 'result'): void {
  check(resultSchema, value, what);
}

export function expectValidEvent(value: unknown, what = 'event'): void {
  check(eventSchema, value, what);
}

/** The `$defs` entry of one command, so a deploy result cannot pass as, say, a status. */
export function expectValidResultOf(command: string, value: unknown): void {
  const validate = ajv.getSchema(
    `https://lshift.invalid/schemas/result.schema.json#/$defs/result:${command}`,
  );
  if (!validate) throw new Error(`no result schema for ${command}`);
  check(validate, value, `${command} result`);
}
