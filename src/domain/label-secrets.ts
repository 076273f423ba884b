/**
 * Which labels of a hook's output hold a secret after them, for the rules that mask by a name in
 * free text: a log's or YAML's `name: value` (output-secrets.ts) and a URL's query (command-
 * secrets.ts). looksSecretName's substring test (`PASS`, `KEY`, `SESSION`, `AUTH` anywhere) is
 * right for an environment variable's or an option's name, but in prose it masked what tests and
 * tools print: `Tests passed: ***`, `Keys: *** loaded`, `monkey: ***`, every `?ref=***&page=***`
 * (found by h1, session 63). Pure.
 *
 * A label is cut into words (`X-Api-Key`, `api_key`, `apiKey`, `DB.PASSWORD` → api, key / db,
 * password) and judged by them:
 * - certainly secret, whatever its value: a word holding `password`, `passwd`, `passphrase`,
 *   `pwd`, `secret`, `token`, `credential`, `cookie`, `signature`, `authorization`; a session
 *   id; a word `creds`, `otp`, `pin`, `jwt`; `key`, `pass` or `auth` after another word (`api_key`, `db_pass`,
 *   `basic_auth`), or a word ending in a kind of key (`apikey`, `sshkey`, `privatekey`);
 * - maybe secret (any other word holding a part of looksSecretName's — `key`, `keys`, `pass`,
 *   `auth`, `oauth`, `session`, `private`, `cred`, `passcode`, a plural such as `tokens` — but
 *   for ORDINARY_WORDS; the word `sid`; a secret's label ending in an attribute's word:
 *   `token_ttl`, `password_min_length`, `token_url`): masked unless the value is a count or a flag
 *   (`Keys: 3`, `private: true`, `session: 12`; labelled-values.ts also keeps a duration and, after
 *   a URL's word, a URL) — when unsure, mask (`key: app` is masked);
 * - anything else is no secret's label (`passed`, `author`, `monkey`, `keyboard`, `status`), nor
 *   one naming an identifier (`keyId`, `SecretId`, `KeyArn`, `keyName`) or a key that is no
 *   secret (`partition key`, `cacheKey`, `public key`).
 * labelled-values.ts masks what follows a label by these kinds.
 */

export type LabelKind = 'secret' | 'maybe' | 'plain';

const SECRET_IN_WORD = /password|passwd|passphrase|pwd|secret|token|credential|cookie|signature|authoriz/;
// `pass` with more to the word (`passcode`, `passkey`, `mysqlpass`) but an ordinary word: its
// value may well be digits (`passcode: 123456`), which a maybe-secret's would show.
const PASS_IN_WORD = /.pass|pass./;
const SECRET_WORD = /^(?:creds|otp|pin|jwt)$/;
// A session id (`sid: 5f2b…`) or Oracle's system id (`SID: ORCL`): maybe a secret, so `sid: 42`
// is shown (it was masked: session 63's documented limits).
const MAYBE_WORD = /^sid$/;
const KEY_WORD =
  /(?:api|access|secret|private|signing|sign|encryption|crypt|master|client|license|auth|ssh|session|account|storage|shared|app|consumer|deploy|gpg|pgp|hmac|aes|rsa|ssl|tls)key$/;
const AFTER_ANOTHER = /^(?:key|pass|auth)$/;
// Any other word holding a part of a secret-looking name (looksSecretName's: `passcode`,
// `oauth`, `compass`) may be one, but for the ordinary words below: when unsure, mask.
const SECRET_PART = /token|secret|pass|pwd|key|cred|auth|private|signature|session|cookie/;
/**
 * A word after a secret's that makes the label name a setting or a property of the secret, not the
 * secret: `token_ttl: 3600s`, `password_min_length: 12`, `token_url: https://…`, `token_type:
 * Bearer`. Such a label is only maybe a secret's (its value masked unless a count, a flag, a
 * duration or, after a URL's word, a URL). They were masked (session 63's documented limits).
 */
const ATTRIBUTE_WORDS = new Set([
  'ttl',
  'timeout',
  'lifetime',
  'expiry',
  'expires',
  'expiration',
  'age',
  'length',
  'len',
  'min',
  'max',
  'minimum',
  'maximum',
  'count',
  'size',
  'limit',
  'interval',
  'duration',
  'period',
  'seconds',
  'secs',
  'minutes',
  'hours',
  'days',
  'rotation',
  'policy',
  'type',
  'url',
  'uri',
  'endpoint',
]);
/** The attribute words above naming where a secret is got: a URL after them is shown. */
const URL_WORDS = new Set(['url', 'uri', 'endpoint']);
const ORDINARY_WORDS = new Set([
  'passed',
  'passing',
  'passes',
  'passage',
  'passenger',
  'passengers',
  'passive',
  'passthrough',
  'bypass',
  'bypassed',
  'compass',
  'surpass',
  'overpass',
  'underpass',
  'author',
  'authors',
  'authored',
  'authority',
  'authorities',
  'monkey',
  'turkey',
  'hockey',
  'donkey',
  'jockey',
  'whiskey',
  'keyboard',
  'keynote',
  'keyword',
  'keywords',
  'keystroke',
  'keystrokes',
  'keyframe',
  'keyframes',
  'hotkey',
  'hotkeys',
  'turnkey',
]);
// A plural of a secret word counts things (`Tokens: 1500`, `Secrets: 3 found`).
const PLURAL = /^(?:passwords|passphrases|secrets|tokens|credentials|cookies|signatures)$/;

/** The words of a label: `X-Api-Key` → x, api, key; `sessionId` → session, id. */
export function labelWords(label: string): string[] {
  return label
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
}

/** Any of the parts above, in any case: most labels (`id`, `path`, `status`) hold none. */
const ANY_PART = /token|secret|pass|pwd|key|cred|auth|private|signature|session|cookie|sid|otp|pin|jwt/i;

/**
 * A label's last word naming an identifier: `keyId: alias/my-key`, `SecretId: prod/db`,
 * `KeyArn: arn:…`, `keyName: users` hold the name of a secret or a key, not the secret (a session
 * id is one, above; an access key id stays masked). They were masked (h3's pass, session 63).
 */
const IDENTIFIER_WORDS = new Set(['id', 'ids', 'arn', 'arns', 'name', 'names']);
/**
 * Words that make the `key` after them a table's, a cache's, an object's or a public one, no
 * secret: `partition key: userId`, `sort key: createdAt`, `cacheKey: build-123`.
 */
const PLAIN_KEY_QUALIFIERS = new Set([
  'partition',
  'sort',
  'primary',
  'foreign',
  'hash',
  'range',
  'composite',
  'unique',
  'index',
  'row',
  'shard',
  'routing',
  'lookup',
  'cache',
  'idempotency',
  'dedup',
  'deduplication',
  'object',
  's3',
  'public',
]);

/**
 * `wordBefore`: the word printed before a one-word label (`partition` of `partition key:`,
 * `API` of `API key:`), judged with it.
 */
export function labelKind(label: string, wordBefore?: string): LabelKind {
  const text = wordBefore === undefined ? label : `${wordBefore} ${label}`;
  // Without any part it is plain: skips cutting into words the many labels of a JSON line.
  if (!ANY_PART.test(text)) return 'plain';
  const words = labelWords(text);
  const kind = kindOfWords(words);
  return kind === 'secret' && namesAttribute(words) ? 'maybe' : kind;
}

/**
 * A label ending in an attribute's word after a secret's (`token_ttl`, `password_min_length`), or
 * in one and `at` or `in` (`client_secret_expires_at`, `token_expires_in`).
 */
function namesAttribute(words: readonly string[]): boolean {
  const last = words.at(-1)!;
  const attribute = /^(?:at|in)$/.test(last) ? words.at(-2) : last;
  return words.length > 1 && attribute !== undefined && ATTRIBUTE_WORDS.has(attribute);
}

/**
 * How secret an environment variable's NAME is, for its short value (output-secrets.ts
 * shortSecretValuesOf): as a label's, but a setting's name (`TOKEN_TTL`) or `SID` stays certainly
 * secret — the value of a variable is masked everywhere it appears, and a variable is no place to
 * guess (the output label rules may show `sid: 42`, never the value of `SID`).
 */
export function envNameKind(name: string): LabelKind {
  if (!ANY_PART.test(name)) return 'plain';
  const words = labelWords(name);
  return words.includes('sid') ? 'secret' : kindOfWords(words);
}

/** A label naming where a secret is got (`token_url`, `auth_endpoint`): a URL value is shown. */
export function namesUrl(label: string): boolean {
  return URL_WORDS.has(labelWords(label).at(-1) ?? '');
}

function kindOfWords(words: readonly string[]): LabelKind {
  // A secret id is one in Consul (`SecretID`) and Vault (`secret_id`): masked, whatever AWS
  // Secrets Manager's SecretId names (found by a hostile pass: shown as an identifier).
  const joined = words.join('');
  if (joined.includes('sessionid') || joined.includes('secretid')) return 'secret';
  // But an access key id, masked as `AWS_ACCESS_KEY_ID=***` in an `env` dump: the same in YAML.
  if (words.length > 1 && IDENTIFIER_WORDS.has(words.at(-1)!) && !words.includes('access')) return 'plain';
  let kind: LabelKind = 'plain';
  for (const [at, word] of words.entries()) {
    if (word === 'key' && at > 0 && PLAIN_KEY_QUALIFIERS.has(words[at - 1]!)) continue;
    if (PLURAL.test(word)) kind = 'maybe';
    else if (SECRET_IN_WORD.test(word) || SECRET_WORD.test(word) || KEY_WORD.test(word)) return 'secret';
    else if (PASS_IN_WORD.test(word) && !ORDINARY_WORDS.has(word)) return 'secret';
    else if (at > 0 && AFTER_ANOTHER.test(word)) return 'secret';
    else if (MAYBE_WORD.test(word)) kind = 'maybe';
    else if (SECRET_PART.test(word) && !ORDINARY_WORDS.has(word)) kind = 'maybe';
  }
  return kind;
}
