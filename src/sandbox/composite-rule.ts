/**
 * Composite alarm rules: ALARM(x) / OK(x) / INSUFFICIENT_DATA(x), AND, OR, NOT, parentheses,
 * TRUE, FALSE. x is an alarm name (quoted or not) or an alarm ARN.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html
 */
import type { AlarmStateValue } from './types.js';

export type RuleNode =
  | { kind: 'const'; value: boolean }
  | { kind: 'state'; state: AlarmStateValue; alarm: string }
  | { kind: 'not'; arg: RuleNode }
  | { kind: 'and' | 'or'; left: RuleNode; right: RuleNode };

export class RuleError extends Error {}

const TOKEN = /\s*("(?:[^"\\]|\\.)*"|\(|\)|[^\s()"]+)/y;

export function parseAlarmRule(text: string): RuleNode {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(text);
    if (!match) throw new RuleError(`cannot read the rule at: ${text.slice(TOKEN.lastIndex)}`);
    tokens.push(match[1]!);
  }
  let pos = 0;
  const peek = () => tokens[pos]?.toUpperCase();
  const take = (expected?: string): string => {
    const token = tokens[pos];
    if (token === undefined) throw new RuleError('the rule ends too early');
    if (expected && token.toUpperCase() !== expected)
      throw new RuleError(`expected ${expected} but found ${token}`);
    pos++;
    return token;
  };
  const parseOr = (): RuleNode => {
    let node = parseAnd();
    while (peek() === 'OR') {
      take();
      node = { kind: 'or', left: node, right: parseAnd() };
    }
    return node;
  };
  const parseAnd = (): RuleNode => {
    let node = parseNot();
    while (peek() === 'AND') {
      take();
      node = { kind: 'and', left: node, right: parseNot() };
    }
    return node;
  };
  const parseNot = (): RuleNode => {
    if (peek() === 'NOT') {
      take();
      return { kind: 'not', arg: parseNot() };
    }
    return parseAtom();
  };
  const parseAtom = (): RuleNode => {
    const token = take();
    const upper = token.toUpperCase();
    if (token === '(') {
      const inner = parseOr();
      take(')');
      return inner;
    }
    if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'const', value: upper === 'TRUE' };
    if (upper === 'ALARM' || upper === 'OK' || upper === 'INSUFFICIENT_DATA') {
      take('(');
      const alarm = alarmName(take());
      take(')');
      return { kind: 'state', state: upper, alarm };
    }
    throw new RuleError(`unexpected ${token}`);
  };
  const root = parseOr();
  if (pos < tokens.length) throw new RuleError(`unexpected ${tokens[pos]}`);
  return root;
}

export function ruleAlarms(node: RuleNode): string[] {
  switch (node.kind) {
    case 'const':
      return [];
    case 'state':
      return [node.alarm];
    case 'not':
      return ruleAlarms(node.arg);
    default:
      return [...ruleAlarms(node.left), ...ruleAlarms(node.right)];
  }
}

export function evaluateRule(
  node: RuleNode,
  stateOf: (alarm: string) => AlarmStateValue | undefined,
): boolean {
  switch (node.kind) {
    case 'const':
      return node.value;
    case 'state':
      return stateOf(node.alarm) === node.state;
    case 'not':
      return !evaluateRule(node.arg, stateOf);
    case 'and':
      return evaluateRule(node.left, stateOf) && evaluateRule(node.right, stateOf);
    case 'or':
      return evaluateRule(node.left, stateOf) || evaluateRule(node.right, stateOf);
  }
}

function alarmName(token: string): string {
  const unquoted = token.startsWith('"') ? token.slice(1, -1).replace(/\\(.)/g, '$1') : token;
  const arn = /^arn:[^:]+:cloudwatch:[^:]*:\d*:alarm:(.+)$/.exec(unquoted);
  return arn ? arn[1]! : unquoted;
}
