/**
 * The `::warning` workflow commands of a deploy's result: one per warning, titled by what it is
 * about (https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions).
 */
import type { EngineEvent, WarningTopic } from '../../domain/events.js';
import type { EventSink } from '../../ports/event-sink.js';
import type { ReasonedResult } from '../describe-outcome.js';
import { escapeMessage, escapeProperty } from './workflow-escape.js';

/** The `::warning` title of a warning about each topic (a warning nobody placed: `lshift warning`). */
export const WARNING_TITLE: Record<WarningTopic, string> = {
  health: 'lshift health watch',
  analysis: 'lshift analysis',
  credentials: 'lshift credentials',
  'event-source': 'lshift event source mapping',
  hook: 'lshift hook',
  preflight: 'lshift preflight',
  'provisioned-concurrency': 'lshift provisioned concurrency',
  warm: 'lshift --warm',
  record: 'lshift deployment record',
  alias: 'lshift alias',
  codedeploy: 'lshift CodeDeploy',
};

/**
 * `::warning title=…::<text>` for each of the result's warnings, titled by what it is about
 * (`topics`: each warning's topic, from its `log` event's `about` or as the CLI says).
 */
export function githubWarnings(
  result: ReasonedResult,
  topics: ReadonlyMap<string, WarningTopic> = new Map(),
): string[] {
  return (result.warnings ?? []).map((w) => {
    const topic = topics.get(w);
    const title = topic ? WARNING_TITLE[topic] : 'lshift warning';
    return `::warning title=${escapeProperty(title)}::${escapeMessage(`${result.functionName}:${result.alias}: ${w}`)}`;
  });
}

/** Each warning said as a `log` event, and what it is about when the event says. */
export function topicsSaid(events: readonly EngineEvent[]): Map<string, WarningTopic> {
  return new Map(
    events.flatMap((e) =>
      e.type === 'log' && e.level === 'warn' && e.about ? [[e.message, e.about] as const] : [],
    ),
  );
}

/**
 * What each warning said as a `log` event is about, as they are said: a release keeps only this
 * of its events, not every event of every function (topicsSaid reads a kept list).
 */
export function collectWarningTopics(): { sink: EventSink; topics: Map<string, WarningTopic> } {
  const topics = new Map<string, WarningTopic>();
  return {
    sink: {
      emit(e) {
        if (e.type === 'log' && e.level === 'warn' && e.about) topics.set(e.message, e.about);
      },
    },
    topics,
  };
}
