#!/usr/bin/env bash
# The deploy step of action.yml: builds the lshift command line from LSHIFT_* inputs, runs it with
# --json, writes the result's fields to $GITHUB_OUTPUT and exits with lshift's exit code.
# A cancelled job's SIGINT/SIGTERM is passed on to lshift, which rolls back before exiting.
set -uo pipefail

# Inputs are split on whitespace and never glob-expanded: `alarms: orders-err*` is an alarm name
# to refuse or find, not the files of the workspace it happens to match.
set -f
args=(deploy "$LSHIFT_FUNCTION" --json)
[[ -n "${LSHIFT_ALIAS:-}" ]] && args+=(--alias "$LSHIFT_ALIAS")
[[ -n "${LSHIFT_STRATEGY:-}" ]] && args+=(--strategy "$LSHIFT_STRATEGY")
for alarm in ${LSHIFT_ALARMS:-}; do args+=(--alarm "$alarm"); done
[[ -n "${LSHIFT_ZIP:-}" ]] && args+=(--zip "$LSHIFT_ZIP")
[[ -n "${LSHIFT_VERSION:-}" ]] && args+=(--version "$LSHIFT_VERSION")
[[ -n "${LSHIFT_BAKE:-}" ]] && args+=(--bake "$LSHIFT_BAKE")
[[ -n "${LSHIFT_CONFIG:-}" ]] && args+=(--config "$LSHIFT_CONFIG")
[[ -n "${LSHIFT_REGION:-}" ]] && args+=(--region "$LSHIFT_REGION")
# Split on whitespace only, never evaluated: an input must not run shell code. Newlines split too
# (-d ''): a YAML block (`args: |`, one flag a line) lost every line after the first, and with it
# an --alarm or --bake the user set (found by a hostile pass). `read -d ''` ends at end of input
# with status 1, which is not an error here.
read -r -d '' -a extra <<<"${LSHIFT_ARGS:-}" || true
args+=("${extra[@]}")
set +f

result="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/lshift-result-$$.json"
node "$LSHIFT_BIN" "${args[@]}" >"$result" &
pid=$!
trap 'kill -INT "$pid" 2>/dev/null' INT
trap 'kill -TERM "$pid" 2>/dev/null' TERM
# The step's exit code is lshift's, whatever happens around it. Always `wait` at least once: bash
# reaps a child that has already exited (a fast usage error, a runner that descheduled this shell),
# so a `kill -0` check before the first `wait` would find no process and report success.
# A trapped signal cuts `wait` short with 128+signal while lshift is still rolling back: wait
# again. Once lshift's own status has been collected, another `wait` says 127 (no such child),
# which tells a status above 128 that was lshift's (130 interrupted, or killed) from a cut-short one.
wait "$pid"
code=$?
while ((code > 128)); do
  wait "$pid" 2>/dev/null
  next=$?
  ((next == 127)) && break
  code=$next
done

node - "$result" "$code" >>"${GITHUB_OUTPUT:-/dev/null}" <<'NODE'
const [file, code] = process.argv.slice(2);
let r = {};
try { r = JSON.parse(require('node:fs').readFileSync(file, 'utf8')); } catch {}
const out = {
  status: r.status ?? 'error',
  'deployment-id': r.deploymentId ?? '',
  'from-version': r.fromVersion ?? '',
  'to-version': r.toVersion ?? '',
  reason: r.reason ?? r.message ?? '',
  'exit-code': code,
  'result-file': file,
};
// Single-line values only: a reason with a newline must not forge another output.
for (const [k, v] of Object.entries(out)) console.log(`${k}=${String(v).replace(/[\r\n]+/g, ' ')}`);
NODE
cat "$result"
exit "$code"
