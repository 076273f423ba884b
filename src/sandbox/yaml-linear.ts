/**
 * YAML (JSON included) read in time linear in its size: the config file (src/cli/config-yaml.ts),
 * a sandbox scenario file, an AppSpec. yaml's own duplicate-key check compares each key of a
 * mapping with every key before it: a config file of 60,000 keys (590 KB, under its 1 MiB limit)
 * took over a minute before lshift could refuse it, a 10 MiB scenario file hours. So it is off,
 * and the duplicates are found here in one pass per mapping, with yaml's message and place.
 */
import {
  type Alias,
  type Document,
  isScalar,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  visit,
  type YAMLError,
  type YAMLWarning,
} from 'yaml';

/** The text's value, as yaml's `parse` gives it (null for a file of comments); throws as it does. */
export function parseYamlLinear(body: string): unknown {
  const lineCounter = new LineCounter();
  // logLevel error: yaml's warnings go to stderr with an excerpt of the file (a `.env`'s secrets).
  // resolveKnownTags off: YAML 1.1's `!!binary` made a Buffer, whose methods the config's checks
  // then named as unknown keys (`unknown key "readBigUInt64LE"`), and `!!timestamp` a Date
  // ("must be text, not a mapping"); found by a hostile pass. No lshift file needs them.
  const doc = parseDocument(body, {
    logLevel: 'error',
    uniqueKeys: false,
    lineCounter,
    resolveKnownTags: false,
  });
  if (doc.errors.length > 0) throw inOwnWords(doc.errors[0]!, lineCounter);
  refuseOtherYamlVersion(doc, body, lineCounter);
  const unresolved = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (unresolved) throw unresolvedTagError(unresolved, lineCounter);
  refuseDuplicateKeys(doc, lineCounter);
  refuseSelfReferences(doc, lineCounter);
  // toJS keeps yaml's limit on aliases ("billion laughs"): maxAliasCount 100 by default.
  try {
    return doc.toJS();
  } catch (error) {
    // yaml: "Excessive alias count indicates a resource exhaustion attack" (found by a hostile pass).
    if (/alias count/i.test((error as Error).message)) {
      throw new Error(
        'Its YAML aliases (`*name`) expand into far too many values (over the alias count lshift reads, a "billion laughs")',
      );
    }
    throw error;
  }
}

/**
 * yaml's words for a second document named its own API ("please use YAML.parseAllDocuments()",
 * found by a hostile pass): say what the file holds and what to do, at the same place.
 */
function inOwnWords(error: YAMLError, lines: LineCounter): Error {
  if (error.code !== 'MULTIPLE_DOCS') return error;
  const { line, col } = lines.linePos(error.pos[0]);
  // No `: ` anywhere, the place last: file-syntax.ts keeps "<what> at line L, column C" of such a message.
  return new Error(
    `A second YAML document starts (a \`---\` line after the first one; lshift reads one document per file, so remove the second or merge the two) at line ${line}, column ${col}`,
  );
}

/**
 * `%YAML 1.1` switched yaml to YAML 1.1's values: `yes` became true, `1:30` 90 (base 60), `010`
 * 8 (octal) — in a config file or a scenario, a value other than the one the reader of the file
 * sees (found by a hostile pass). lshift reads YAML 1.2: any other version directive is refused,
 * as one yaml does not know (`%YAML 1.3`, which it reads as 1.2 with a warning).
 */
function refuseOtherYamlVersion(doc: Document, body: string, lines: LineCounter): void {
  const unsupported = doc.warnings.some((w) => w.message.startsWith('Unsupported YAML version'));
  if (!unsupported && (!doc.directives?.yaml.explicit || doc.directives.yaml.version === '1.2')) return;
  const at = /^%YAML[ \t]+(\S*)/m.exec(body);
  const { line, col } = lines.linePos(at?.index ?? 0);
  // The version as written only when it is one (the file's text is not echoed otherwise).
  const version = /^\d{1,3}\.\d{1,3}$/.test(at?.[1] ?? '') ? ` ${at?.[1]}` : '';
  throw new Error(
    `The %YAML${version} directive asks for a YAML version lshift does not read (lshift reads YAML 1.2 only, where yes, 1:30 and 010 are text, text and 10; remove the directive or write %YAML 1.2) at line ${line}, column ${col}`,
  );
}

function refuseDuplicateKeys(doc: Document, lines: LineCounter): void {
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items as Pair<unknown, unknown>[]) {
        // As yaml compares keys: scalars by value (1 and "1" differ), anything else by identity.
        if (!isScalar(pair.key)) continue;
        const value = pair.key.value;
        const id = `${typeof value}:${String(value)}`;
        if (seen.has(id)) throw duplicateKeyError(pair.key, lines);
        seen.add(id);
      }
    },
  });
}

/**
 * An alias inside the node it names (`a: &x {b: *x}`) makes a value that contains itself: yaml
 * builds it as a circular object, and every reader after it (the config's checks) would recurse
 * until the stack runs out — a crash, not an answer. YAML allows it; no lshift file needs it.
 */
function refuseSelfReferences(doc: Document, lines: LineCounter): void {
  visit(doc, {
    Alias(_key, alias, path) {
      const source = alias.resolve(doc);
      if (source && path.includes(source)) throw selfReferenceError(alias, lines);
    },
  });
}

function selfReferenceError(alias: Alias, lines: LineCounter): Error {
  const { line, col } = lines.linePos(alias.range?.[0] ?? 0);
  return new Error(
    `The alias *${alias.source} at line ${line}, column ${col} is inside the value &${alias.source} names, so that value would contain itself`,
  );
}

/** Its place, not yaml's excerpt of the file (it could show a secret written beside the tag). */
function unresolvedTagError(warning: YAMLWarning, lines: LineCounter): Error {
  const { line, col } = lines.linePos(warning.pos[0]);
  // yaml names it `!foo`, or `tag:yaml.org,2002:binary` for `!!binary` (found by a hostile pass:
  // a custom tag was named "", `!!python/object:…` "!!python").
  const named = /Unresolved tag: (\S+?)(?: at line|$)/.exec(warning.message)?.[1] ?? '';
  const tag = named
    .replace(/^tag:yaml\.org,2002:/, '!!')
    .split(':')[0]!
    .slice(0, 60);
  // No `: ` anywhere, the place last: file-syntax.ts keeps "<what> at line L, column C" of such a message.
  return new Error(
    `The YAML tag ${tag || '(unnamed)'} is one lshift does not read (YAML 1.1's !!binary, !!timestamp, !!set and the like; write the value plainly, as text or a number) at line ${line}, column ${col}`,
  );
}

function duplicateKeyError(key: Node, lines: LineCounter): Error {
  const { line, col } = lines.linePos(key.range?.[0] ?? 0);
  return new Error(`Map keys must be unique at line ${line}, column ${col}`);
}
