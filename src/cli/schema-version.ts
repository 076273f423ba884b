/**
 * Version of lshift's machine contract: the `--json` results and the NDJSON events, described by
 * schemas/result.schema.json and schemas/events.schema.json (docs/events.md). Adding a field keeps
 * it; removing or changing the meaning or type of one increments it.
 */
export const SCHEMA_VERSION = 1;
