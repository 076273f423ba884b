/**
 * Version of lshift's machine contract: the `--json` results and the NDJSON events, described by
 * schemas/result.schema.json and schemas/events.schema.json (docs/events.md). Adding a field keeps
 * it; removing or changing the meaning or type of one increments it.
 */
/**
 * 2: `check --json` reports a stalled deployment left as it is with `action: "stalled"` (it was
 * `healthy`, or `skipped` for a promote over a split alias, with `stalled: true`): a new value
 * of an existing field, which a script matching the old values would misread.
 */
/**
 * 3: a step's `result` may be `stopped` (an operator or another run ended it); in 2 those steps
 * read `failed` (or, in a release, `interrupted`): an existing field's value changed meaning.
 */
/**
 * 4: a deploy that follows its CodeDeploy deployment names CodeDeploy's own end as a native
 * deploy and `lshift wait` do: a hook that failed is `HOOK_FAILED` (with its phase), CodeDeploy's
 * alarm ending it while lshift followed it to a step `GATE_FAILED` (`alarms`); in 3 both read
 * `WEIGHT_WRITE_FAILED` (a hook within a hold `GATE_FAILED`, `codedeploy`): an existing code's
 * meaning changed.
 */
export const SCHEMA_VERSION = 4;
