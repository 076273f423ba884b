/**
 * FNV-1a, 64-bit (Fowler–Noll–Vo; the reference and test vectors:
 * http://www.isthe.com/chongo/tech/comp/fnv/ and draft-eastlake-fnv). A fingerprint that catches
 * accidental drift (another alarm name, another hook) — not a defence against forgery, which a
 * hand-editable tag could not give anyway. Pure, with no import: the domain imports nothing but
 * itself (test/unit/layering.test.ts), so node:crypto is out of reach here.
 */
const OFFSET_BASIS = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

/** The 64-bit FNV-1a hash of the text's UTF-8 bytes. */
export function fnv1a64(text: string): bigint {
  let hash = OFFSET_BASIS;
  for (const byte of new TextEncoder().encode(text)) {
    hash = ((hash ^ BigInt(byte)) * PRIME) & MASK;
  }
  return hash;
}

const SHORT_HASH_LENGTH = 7;

/** The hash's top 36 bits in base 36, 7 characters: a fingerprint compares, it does not defend against forgery. */
export function shortHash(text: string): string {
  const bits = Number(fnv1a64(text) >> 28n);
  return bits.toString(36).padStart(SHORT_HASH_LENGTH, '0');
}
