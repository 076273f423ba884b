/**
 * Reads a deployment record from its tag value (the format is described in record-encode.ts).
 * Anything that does not read back exactly is RECORD_CORRUPT, never guessed at; readers ignore
 * keys they do not know, so the format can gain optional keys.
 */

import { decodeGuards, type GuardFingerprint } from './guard-fingerprint.js';
import { decodeJudging } from './judging-fingerprint.js';
import { commandFromParts, type OperatorCommand } from './operator-command.js';
import { decodeCause } from './record-cause.js';
import { decodeEndReason } from './record-end-reason.js';
import { decodeJudgedGap } from './record-judged.js';
import { RECORD_FORMAT_VERSION } from './record-tag.js';
import {
  corrupt,
  type DecodeRecordContext,
  decodeInteger,
  decodePercent,
  unescapeStrategy,
  unescapeText,
} from './record-text.js';
import { DEPLOYMENT_PHASES, type DeploymentPhase, type DeploymentRecord } from './record-types.js';

export function decodeRecord(value: string, where: DecodeRecordContext = {}): DeploymentRecord {
  const [version, ...pairs] = value.trim().split(/ +/);
  if (version !== RECORD_FORMAT_VERSION) {
    const problem = /^v\d+$/.test(version ?? '')
      ? `uses record format ${version}, which this lshift does not read`
      : 'does not start with a record format version';
    throw corrupt(value, problem, where, /^v\d+$/.test(version ?? ''));
  }
  const fields = readPairs(value, pairs, where);
  const need = (key: string): string => {
    const field = fields.get(key);
    if (field === undefined) throw corrupt(value, `has no \`${key}=\``, where);
    return field;
  };
  const phase = need('ph') as DeploymentPhase;
  if (!DEPLOYMENT_PHASES.includes(phase)) throw corrupt(value, `has an unknown phase \`${phase}\``, where);
  const endedAt = fields.get('e');
  const ended = endedAt === undefined ? undefined : decodeInteger(endedAt, 36, value, where);
  const judgedUntil = decodeJudgedGap(fields.get('aj'), ended, value, where);
  const endReason = fields.get('r');
  // Unreadable is absent, not RECORD_CORRUPT: it only explains (record-cause.ts, decodeCause).
  const causeText = fields.get('y');
  const cause = causeText === undefined ? undefined : decodeCause(causeText);
  const releaseId = fields.get('rl');
  const history = fields.get('h');
  const command = fields.get('c');
  const warm = fields.get('w');
  const engine = fields.get('en');
  if (engine !== undefined && engine !== 'cd')
    throw corrupt(value, `names an unknown engine \`${engine}\``, where);
  const codeDeployId = fields.get('cd');
  const guards = decodeGuardField(fields.get('gd'), fields.get('jd'), value, where);
  const runnerToken = fields.get('rn');
  const aliasRevision = fields.get('ar');
  const releaseSize = fields.get('rz');
  const releaseFunctions = fields.get('rf');
  const rollbackTo = fields.get('rt');
  return {
    id: unescapeText(need('id'), value, where),
    stableVersion: unescapeText(need('s'), value, where),
    targetVersion: unescapeText(need('t'), value, where),
    strategy: unescapeStrategy(need('st'), value, where),
    stepIndex: decodeInteger(need('i'), 10, value, where),
    percent: decodePercent(need('p'), value, where),
    phase,
    startedAt: decodeInteger(need('a'), 36, value, where),
    owner: unescapeText(fields.get('o') ?? '', value, where),
    heartbeatAt: decodeInteger(need('hb'), 36, value, where),
    ...(ended === undefined ? {} : { endedAt: ended }),
    ...(judgedUntil === undefined ? {} : { alarmsJudgedUntil: judgedUntil }),
    ...(endReason === undefined
      ? {}
      : { endReason: decodeEndReason(endReason, (text) => unescapeText(text, value, where)) }),
    ...(cause === undefined ? {} : { cause }),
    history: history ? history.split('.').map((v) => unescapeText(v, value, where)) : [],
    ...(command === undefined ? {} : { command: decodeCommand(command, value, where) }),
    ...(releaseId === undefined ? {} : { releaseId: unescapeText(releaseId, value, where) }),
    ...(fields.get('sg') === '1' ? { stagger: true as const } : {}),
    ...(warm === undefined ? {} : { warm: decodeInteger(warm, 10, value, where) }),
    ...(engine === 'cd' ? { engine: 'codedeploy' as const } : {}),
    ...(codeDeployId === undefined ? {} : { codeDeployId: unescapeText(codeDeployId, value, where) }),
    ...(guards === undefined ? {} : { guards }),
    ...(runnerToken === undefined ? {} : { runnerToken: unescapeText(runnerToken, value, where) }),
    ...(aliasRevision === undefined ? {} : { aliasRevision: unescapeText(aliasRevision, value, where) }),
    ...(releaseSize === undefined ? {} : { releaseSize: decodeInteger(releaseSize, 10, value, where) }),
    ...(releaseFunctions === undefined
      ? {}
      : { releaseFunctions: releaseFunctions.split('.').map((name) => unescapeText(name, value, where)) }),
    ...(rollbackTo === undefined ? {} : { rollbackTo: unescapeText(rollbackTo, value, where) }),
  };
}

/** A `gd=` that is not a fingerprint is refused like any other unreadable part: never guessed at. */
function decodeGuardField(
  text: string | undefined,
  judgingText: string | undefined,
  value: string,
  where: DecodeRecordContext,
): GuardFingerprint | undefined {
  if (judgingText !== undefined && text === undefined)
    throw corrupt(value, `has \`jd=\` without \`gd=\``, where);
  if (text === undefined) return undefined;
  const guards = decodeGuards(text);
  if (!guards) throw corrupt(value, `has an unreadable guard fingerprint \`gd=${text}\``, where);
  if (judgingText === undefined) return guards;
  const judging = decodeJudging(judgingText);
  if (!judging) throw corrupt(value, `has an unreadable judging fingerprint \`jd=${judgingText}\``, where);
  return { ...guards, judging };
}

function decodeCommand(text: string, value: string, where: DecodeRecordContext): OperatorCommand {
  const command = commandFromParts(text.split('.').map((part) => unescapeText(part, value, where)));
  if (!command) throw corrupt(value, `has an unreadable operator command \`c=${text}\``, where);
  return command;
}

function readPairs(value: string, pairs: string[], where: DecodeRecordContext): Map<string, string> {
  const fields = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq);
    if (eq < 1 || !/^[a-z]+$/.test(key)) throw corrupt(value, `has a malformed part \`${pair}\``, where);
    if (fields.has(key)) throw corrupt(value, `has \`${key}=\` twice`, where);
    fields.set(key, pair.slice(eq + 1));
  }
  return fields;
}
