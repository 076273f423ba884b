/**
 * The publish phase of a release: every check that needs no new version, for every function,
 * before any upload or publish; then the uploads and publishes, bounded.
 */
import pLimit from 'p-limit';
import { isLshiftError, OperationError, withHint } from '../domain/errors.js';
import type { EngineEvent } from '../domain/events.js';
import { preflightTarget } from '../engine/deploy.js';
import { draftRecord } from '../engine/deploy-record.js';
import type { DeployRequest, RecordScope } from '../engine/deploy-types.js';
import {
  type BeforePublish,
  checkBeforePublish,
  type Published,
  publishChecked,
} from '../engine/preflight-publish.js';
import { READ_ONLY_HINT } from '../engine/publish.js';
import { DEFAULT_RELEASE_CONCURRENCY, namedEvents } from '../engine/release.js';
import { type Settled, settle, unlessRefused } from '../engine/release-refusals.js';
import type { EventSink } from '../ports/event-sink.js';
import { readCodeSource } from './code-source.js';
import { noteLeftBehind, type PublishedHere } from './left-behind.js';
import type { ReleaseMember } from './release-setup.js';

/** The deps of one function's checks and publish: its events name it. */
function namedDeps<D extends { events: EventSink }>(
  deps: D,
  req: { functionName: string; alias: string },
): D {
  return { ...deps, events: namedEvents(deps.events, { functionName: req.functionName, alias: req.alias }) };
}

/**
 * Every check that needs no new version, for every function, before any upload or publish; then
 * the uploads and publishes, at most DEFAULT_RELEASE_CONCURRENCY at once. Returns the requests
 * with their versions, and the versions Lambda made now (a refusal after them leaves them behind).
 */
export async function publishAll(
  deps: Parameters<typeof publishChecked>[0],
  pending: Omit<DeployRequest, 'targetVersion'>[],
  byName: Map<string, ReleaseMember>,
  scope: RecordScope,
  signal: AbortSignal,
): Promise<{ members: DeployRequest[]; published: PublishedHere[] }> {
  const codeOf = (fn: string) => byName.get(fn)!.options.code;
  const publishes = pending.some((req) => codeOf(req.functionName).kind !== 'version');
  const checked: Settled<BeforePublish | undefined>[] = [];
  for (const req of pending) {
    const code = codeOf(req.functionName);
    const check = async () => {
      if (code.kind !== 'version') {
        return await checkBeforePublish(namedDeps(deps, req), req, readCodeSource(code), scope);
      }
      // Beside functions that publish, a --version function's refusal must come before their
      // publishes, or exit 2 "nothing changed" would leave new versions behind.
      if (publishes)
        await checkPublishedTarget(namedDeps(deps, req), { ...req, targetVersion: code.version }, scope);
      return undefined;
    };
    checked.push(await settle(check()));
  }
  const before = unlessRefused(checked, pending);
  const limit = pLimit(DEFAULT_RELEASE_CONCURRENCY);
  const outcomes = await Promise.all(
    pending.map((req, i) =>
      limit(async (): Promise<Settled<Published>> => {
        const code = codeOf(req.functionName);
        if (code.kind === 'version') return { ok: { version: code.version, created: false } };
        return settle(publishChecked(namedDeps(deps, req), req, readCodeSource(code), before[i]!));
      }),
    ),
  );
  // The others' publishes finish when one fails: the versions they made are said with its error.
  const published = outcomes.flatMap((o, i) =>
    'ok' in o && o.ok.created ? [{ functionName: pending[i]!.functionName, version: o.ok.version }] : [],
  );
  // A publish that failed once the signal came was cut short in flight (or never sent): said as
  // possibly made, as the versions above are said made.
  const cutShort = signal.aborted
    ? outcomes.flatMap((o, i) =>
        'ok' in o || codeOf(pending[i]!.functionName).kind === 'version' ? [] : [pending[i]!.functionName],
      )
    : [];
  try {
    // Every function whose publish failed, each with its reason and what to do: the first's
    // error (its code and exit code) says the others under it. Only the first was said before,
    // so a second failure was met only by the next run (found in session 54).
    unlessRefused(outcomes, pending, { verb: 'failed to publish too', withHint: true, nameFirst: true });
  } catch (error) {
    throw noteLeftBehind(sayEachInterrupted(error, outcomes, pending), published, cutShort);
  }
  if (signal.aborted) {
    const interrupted = new OperationError(
      'INTERRUPTED',
      'Interrupted before any traffic moved; every alias is unchanged.',
      {
        hint: 'Run the deploy again when ready.',
      },
    );
    throw noteLeftBehind(interrupted, published, cutShort);
  }
  const members = pending.map((req, i) => ({
    ...req,
    targetVersion: (outcomes[i] as { ok: Published }).ok.version,
  }));
  return { members, published };
}

/**
 * The preflight of a function whose version is already published, early. Its events are held
 * back unless it refuses: the release's own preflight runs it again and says the rest.
 */
async function checkPublishedTarget(
  deps: Parameters<typeof publishChecked>[0],
  req: DeployRequest,
  scope: RecordScope,
): Promise<void> {
  const held: EngineEvent[] = [];
  const quiet = { ...deps, events: { emit: (e: EngineEvent) => held.push(e) } };
  try {
    await preflightTarget(quiet, req, draftRecord(req, deps.clock.now(), scope));
  } catch (error) {
    for (const event of held) deps.events.emit(event);
    throw error;
  }
}

/**
 * A signal during the publishes interrupts each one in flight, and one "interrupted" is said
 * (unlessRefused): its hint said what had changed of the first function only ("lshift had already
 * replaced the code of function fa ($LATEST …)"), though fb's and fc's `$LATEST` were replaced too
 * (found by h1's hostile pass, session 71). Each function's own words, when more than one has any.
 */
function sayEachInterrupted(
  error: unknown,
  outcomes: readonly Settled<Published>[],
  pending: readonly { functionName: string }[],
): unknown {
  if (!isLshiftError(error) || error.code !== 'INTERRUPTED') return error;
  const said = outcomes.flatMap((o, i) => {
    if (!('error' in o) || !isLshiftError(o.error) || o.error.code !== 'INTERRUPTED') return [];
    const hint = o.error.hint;
    return hint === undefined || hint === READ_ONLY_HINT ? [] : [`For ${pending[i]!.functionName}: ${hint}`];
  });
  return said.length > 1 ? withHint(error, said.join(' ')) : error;
}
