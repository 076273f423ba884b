/**
 * The shapes of a value after a secret's label that carry no secret: a count or a flag, a measure
 * (duration, size, date), a "none", a path in `PWD=`, a plain query parameter. The masking rules
 * (labelled-values.ts, prose-secrets.ts, output-secrets.ts, command-secrets.ts) keep such values
 * shown; label-secrets.ts says which labels are a secret's. Pure.
 */

/**
 * A count or a flag: no secret (`3`, `12.5`, `80%`, `true`, `none`). Up to 6 digits: a longer
 * number may be an id that is one (`session: 48237492374`).
 */
const COUNT_OR_FLAG =
  /^(?:\d{1,6}(?:[.,]\d{1,3})?%?|true|false|yes|no|null|none|nil|ok|on|off|enabled|disabled|required|optional|set|unset|n\/a)$/i;

/**
 * The working directory and the like, as an `env` dump or a log prints them
 * (`PWD=/home/app/build`, `pwd: /home/app`): a path, no secret (docs/hooks.md says these keep
 * their values; the assignment was masked). A value not a path (`Pwd=hunter2` of an ODBC
 * connection string) is still masked.
 */
const PATH_VARIABLE = /^(?:old)?pwd$|^ssh_auth_sock$|^xauthority$/i;

/**
 * `inConnectionString`: the name follows a `;` or its value ends at one (ODBC's
 * `DSN=x;UID=sa;PWD=/abc;`): a password, whatever it starts with (it was kept as a path).
 */
export function isPathVariable(name: string, value: string, inConnectionString = false): boolean {
  return PATH_VARIABLE.test(name) && /^[/~]/.test(value) && !inConnectionString && !value.includes(';');
}

export function isCountOrFlag(value: string): boolean {
  return COUNT_OR_FLAG.test(value);
}

/** A count with its unit, a duration or a size (`3600s`, `1h30m`, `90d`, `4KB`), or a date or time. */
const MEASURE =
  /^(?:\d{1,6}(?:\.\d{1,3})?(?:ms|s|sec|secs|m|min|mins|h|hr|hrs|d|w|y|b|kb|mb|gb|k)){1,3}$|^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)?)?$/i;

export function isMeasure(value: string): boolean {
  return MEASURE.test(value);
}

/**
 * A certainly secret label's value that says there is none (`Authorization: none`,
 * `password: null`, `token: <none>`): shown, it was masked (session 63's documented limits).
 */
const NO_VALUE =
  /^(?:none|null|nil|n\/a|undefined|unset|empty|-|\(none\)|<none>|\(null\)|\(empty\)|<unset>|\(not set\)|not set)$/i;

export function isNoValue(value: string): boolean {
  return NO_VALUE.test(value);
}

/**
 * Query parameters that carry no secret in what a hook prints (`?ref=main&page=2`): their values
 * are kept. Every other query value is still masked (`?sig=`, `?code=`, `?state=`, `?key=`,
 * anything lshift does not know), and so is a bare `?abc123`.
 */
const PLAIN_QUERY_NAMES = new Set([
  'ref',
  'branch',
  'tag',
  'sha',
  'commit',
  'page',
  'per_page',
  'perpage',
  'page_size',
  'pagesize',
  'limit',
  'offset',
  'sort',
  'order',
  'orderby',
  'direction',
  'q',
  'query',
  'search',
  'filter',
  'fields',
  'include',
  'expand',
  'format',
  'lang',
  'locale',
  'region',
  'version',
  'v',
  'api-version',
  'status',
  'type',
  'kind',
  'since',
  'until',
  'from',
  'to',
  'start',
  'end',
  'count',
  'size',
  'view',
  'tab',
  'mode',
  'debug',
  'verbose',
  'pretty',
  'env',
  'stage',
  'alias',
  'id',
  'name',
  'utm_source',
  'utm_medium',
  'utm_campaign',
]);

export function isPlainQueryName(name: string): boolean {
  return PLAIN_QUERY_NAMES.has(name.toLowerCase());
}
