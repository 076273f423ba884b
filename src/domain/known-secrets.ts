/**
 * The values lshift knows to mask in what hooks print (output-secrets.ts says the whole order):
 * the deployed functions' environment values (KnownSecrets), and for any set of values the forms
 * a hook may print them in (secretFormsOf: exact, encoded, escaped, wrapped base64) and their
 * masking (maskForms). Pure.
 */
import {
  base64Forms,
  encodedForms,
  indexWrappedForms,
  MIN_FORM_CHARS,
  maskWrappedPieces,
  type WrappedForms,
} from './encoded-secrets.js';
import { escapedPattern } from './escaped-secrets.js';

/** Shorter values of secret-looking variables are not masked in output. */
export const MIN_SECRET_VALUE_CHARS = 8;

export const MASK = '***';

/** A value of several lines (a PEM key) is also masked line by line. */
export function linesOf(value: string): string[] {
  return value.includes('\n') ? [value, ...value.split(/\r?\n/).map((l) => l.trim())] : [value];
}

/**
 * What to mask for some secret values: each value and its encoded forms (exact), longest first,
 * and the base64 forms a wrapped encoding splits over lines (encoded-secrets.ts).
 */
export interface SecretForms {
  exact: readonly string[];
  /** Each value with any of its characters escaped (escaped-secrets.ts), longest value first. */
  escaped: readonly RegExp[];
  wrapped: WrappedForms;
}

export function secretFormsOf(values: readonly string[]): SecretForms {
  const exact = new Set(values);
  for (const value of values) for (const form of encodedForms(value)) exact.add(form);
  const wrapped = new Set(values.flatMap((value) => base64Forms(value)));
  const byLength = [...values].sort((a, b) => b.length - a.length);
  return {
    exact: [...exact].sort((a, b) => b.length - a.length),
    escaped: byLength.map(escapedPattern).filter((pattern) => pattern !== undefined),
    wrapped: indexWrappedForms(
      [...wrapped].filter((form) => form.length > MIN_FORM_CHARS).sort((a, b) => b.length - a.length),
    ),
  };
}

/**
 * Function environment values shorter than this are not masked: a flag `1`, `true`, `on`, `prod`
 * or `debug` would hide every such word in what hooks print (a hostile pass asked
 * for a sane floor). The same floor as for lshift's own secret-looking variables: a real secret
 * (a password, a key, a token) is longer.
 */
export const MIN_FUNCTION_VALUE_CHARS = MIN_SECRET_VALUE_CHARS;

/**
 * The values of the deployed functions' environment variables, as lshift read them (every
 * GetFunctionConfiguration, GetFunction, ListVersionsByFunction answer): all of them, not only
 * secret-looking names — a hook printing `aws lambda get-function-configuration --output text`
 * shows bare values without names (found by a hostile pass). Kept only to be masked; never shown.
 *
 * Except lshift's own identifiers (`spare`): a value that is, or is a part of, a name lshift itself
 * prints everywhere — a function, an alias, a version, the region, an ARN, an alarm, a CodeDeploy
 * application or group, a release id — is no secret, and masking it made every hint unusable:
 * `STAGE=production` with alias `production` turned `lshift rollback orders-service --alias
 * production` into `--alias ***`. A value that merely holds an identifier (a connection string
 * naming the function) is still masked, whole; the identifier alone elsewhere is not.
 */
export class KnownSecrets {
  private readonly known = new Set<string>();
  private readonly identifiers = new Set<string>();
  private sorted: string[] = [];
  private masked: SecretForms = secretFormsOf([]);

  add(values: Iterable<string>): void {
    let grew = false;
    for (const value of values) {
      for (const part of linesOf(value)) {
        if (part.length < MIN_FUNCTION_VALUE_CHARS || this.known.has(part)) continue;
        this.known.add(part);
        grew = true;
      }
    }
    if (grew) this.sort();
  }

  /** Names lshift prints anyway: a known value equal to one, or inside one, is never masked. */
  spare(identifiers: Iterable<string | undefined>): void {
    let grew = false;
    for (const id of identifiers) {
      if (id === undefined || id.length < MIN_FUNCTION_VALUE_CHARS || this.identifiers.has(id)) continue;
      this.identifiers.add(id);
      grew = true;
    }
    if (grew) this.sort();
  }

  /** Longest first: a value holding another is masked whole. */
  values(): readonly string[] {
    return this.sorted;
  }

  /** What to mask: the values and their encoded forms. */
  forms(): SecretForms {
    return this.masked;
  }

  private sort(): void {
    const ids = [...this.identifiers];
    const secret = [...this.known].filter((value) => !ids.some((id) => id.includes(value)));
    this.sorted = secret.sort((a, b) => b.length - a.length);
    this.masked = secretFormsOf(this.sorted);
  }
}

/** `line` with every one of `values` (longest first) shown as `***`. */
export function maskValues(line: string, values: readonly string[]): string {
  let text = line;
  for (const value of values) if (text.includes(value)) text = text.split(value).join(MASK);
  return text;
}

const ESCAPE_MARK = /[%\\&+]/;

/**
 * `text` with every exact form masked, then every escaped one, then, line by line, the pieces of
 * wrapped base64 forms.
 */
export function maskForms(text: string, forms: SecretForms): string {
  let exact = maskValues(text, forms.exact);
  // Every escape contains one of these (escaped-secrets.ts); a text without any can hold a value
  // only as written, masked just above: most log lines skip the patterns (a hostile pass measured
  // the masking at 11× main's cost a line).
  if (ESCAPE_MARK.test(exact)) for (const pattern of forms.escaped) exact = exact.replace(pattern, MASK);
  if (forms.wrapped.forms.length === 0) return exact;
  return exact
    .split('\n')
    .map((line) => maskWrappedPieces(line, forms.wrapped, MASK))
    .join('\n');
}
