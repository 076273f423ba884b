/** Parses a strategy typed by the user, with a "did you mean" for a near miss of a known name. */
import { type ParseStrategyOptions, parseStrategy, type Strategy } from '../domain/strategy.js';
import { closestName } from './suggest.js';

export function parseTypedStrategy(text: string, opts: Omit<ParseStrategyOptions, 'suggest'> = {}): Strategy {
  return parseStrategy(text, { ...opts, suggest: closestName });
}
