/**
 * A small subset of CloudWatch metric math: numbers, query ids, + - * /, unary minus,
 * parentheses, and FILL(series, number) / ABS(series). Series combine on matching timestamps;
 * non-finite results (x / 0) are dropped, as CloudWatch drops them.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */
export type Series = Map<number, number>;
export type MathValue = number | Series;

export type MathNode =
  | { kind: 'num'; value: number }
  | { kind: 'ref'; id: string }
  | { kind: 'neg'; arg: MathNode }
  | { kind: 'bin'; op: string; left: MathNode; right: MathNode }
  | { kind: 'call'; name: string; args: MathNode[] };

export class MathError extends Error {}

export interface MathContext {
  resolve(id: string): Series;
  /** Every period start of the query range (for FILL). */
  periods(): number[];
}

export function parseExpression(text: string): MathNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (expected?: string): string => {
    const token = tokens[pos];
    if (token === undefined)
      throw new MathError(`Unexpected end of expression${expected ? `, expected ${expected}` : ''}`);
    if (expected !== undefined && token !== expected)
      throw new MathError(`Unexpected token ${token}, expected ${expected}`);
    pos++;
    return token;
  };
  const parseSum = (): MathNode => {
    let node = parseProduct();
    while (peek() === '+' || peek() === '-')
      node = { kind: 'bin', op: take(), left: node, right: parseProduct() };
    return node;
  };
  const parseProduct = (): MathNode => {
    let node = parseUnary();
    while (peek() === '*' || peek() === '/')
      node = { kind: 'bin', op: take(), left: node, right: parseUnary() };
    return node;
  };
  const parseUnary = (): MathNode => {
    if (peek() === '-') {
      take();
      return { kind: 'neg', arg: parseUnary() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): MathNode => {
    if (peek() === undefined)
      throw new MathError('Unexpected end of expression, expected a number, a query id or (');
    const token = take();
    if (token === '(') {
      const inner = parseSum();
      take(')');
      return inner;
    }
    if (/^\d/.test(token) || token.startsWith('.')) return { kind: 'num', value: Number(token) };
    if (/^[A-Za-z_]\w*$/.test(token)) {
      if (peek() !== '(') return { kind: 'ref', id: token };
      take('(');
      const args: MathNode[] = [];
      if (peek() !== ')') {
        args.push(parseSum());
        while (peek() === ',') {
          take(',');
          args.push(parseSum());
        }
      }
      take(')');
      return { kind: 'call', name: token.toUpperCase(), args };
    }
    throw new MathError(`Unrecognized token ${token}`);
  };
  const root = parseSum();
  if (pos < tokens.length) throw new MathError(`Unexpected token ${tokens[pos]}`);
  return root;
}

/** Query ids an expression reads. */
export function referencedIds(node: MathNode): string[] {
  switch (node.kind) {
    case 'num':
      return [];
    case 'ref':
      return [node.id];
    case 'neg':
      return referencedIds(node.arg);
    case 'bin':
      return [...referencedIds(node.left), ...referencedIds(node.right)];
    case 'call':
      return node.args.flatMap(referencedIds);
  }
}

export function evaluateExpression(node: MathNode, ctx: MathContext): MathValue {
  switch (node.kind) {
    case 'num':
      return node.value;
    case 'ref':
      return ctx.resolve(node.id);
    case 'neg':
      return apply(evaluateExpression(node.arg, ctx), -1, (a, b) => a * b);
    case 'bin':
      return apply(
        evaluateExpression(node.left, ctx),
        evaluateExpression(node.right, ctx),
        OPERATORS[node.op]!,
      );
    case 'call':
      return callFunction(node, ctx);
  }
}

const OPERATORS: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
};

function callFunction(node: Extract<MathNode, { kind: 'call' }>, ctx: MathContext): MathValue {
  const args = node.args.map((arg) => evaluateExpression(arg, ctx));
  if (node.name === 'ABS' && args.length === 1) return apply(args[0]!, 0, (a) => Math.abs(a));
  if (node.name === 'FILL' && args.length === 2 && args[0] instanceof Map && typeof args[1] === 'number') {
    const filled: Series = new Map();
    for (const ts of ctx.periods()) filled.set(ts, args[0].get(ts) ?? args[1]);
    return filled;
  }
  throw new MathError(
    `Unsupported function ${node.name} with ${args.length} argument(s) (the sandbox supports FILL(series, number) and ABS(series))`,
  );
}

function apply(a: MathValue, b: MathValue, op: (x: number, y: number) => number): MathValue {
  if (typeof a === 'number' && typeof b === 'number') return op(a, b);
  const out: Series = new Map();
  const keys = a instanceof Map ? [...a.keys()] : [...(b as Series).keys()];
  for (const ts of keys) {
    const x = a instanceof Map ? a.get(ts) : a;
    const y = b instanceof Map ? b.get(ts) : b;
    if (x === undefined || y === undefined) continue;
    const value = op(x, y);
    if (Number.isFinite(value)) out.set(ts, value);
  }
  return out;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+|[A-Za-z_]\w*|[-+*/(),])/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (!match) throw new MathError(`Unrecognized token ${text.slice(at).trim().split(/\s/)[0]}`);
    tokens.push(match[1]!);
    at = pattern.lastIndex;
  }
  if (tokens.length === 0) throw new MathError('The expression is empty');
  return tokens;
}
