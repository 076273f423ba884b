/**
 * Lookups in the sandbox's plain-object maps (functions, aliases, versions, alarms, tags) by a
 * key that came from a request. A plain `map[key]` walks the prototype: a function named
 * `constructor` would find `Object`, and writing `map['__proto__'] = x` would replace the map's
 * prototype. These helpers only ever see the map's own properties, so such names behave like any
 * other name, as they do in AWS.
 */
export function own<T>(map: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

export function hasOwn(map: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(map, key);
}

/** Sets an own, enumerable property even for `__proto__` (which `map[key] = v` would not). */
export function setOwn<T>(map: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
}
