/**
 * Text as people may type it, made safe to store and to print on a licence: characters nobody can see
 * or that reorder what is seen are removed, and unpaired surrogates (which PostgreSQL refuses in JSON
 * columns) are dropped. Used at the HTTP boundary for every string of a request, by the form's
 * validators, and by the assistant for each message of every channel.
 */

/**
 * Control characters (C0 and C1), format characters (zero-width spaces and joiners, bidi marks,
 * embeddings, overrides and isolates, the BOM, soft hyphens, tag characters), unpaired surrogates,
 * noncharacters, and the few letters Unicode treats as invisible (the Hangul fillers, the combining
 * grapheme joiner, Khmer's inherent vowels). With the u flag, \p{Cs} matches only an unpaired surrogate.
 * The first alternative is a flag's tag sequence (🏴 + tags + cancel tag), kept whole.
 */
const HIDDEN =
  /(\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F})|[\p{Cc}\p{Cf}\p{Cs}\p{Noncharacter_Code_Point}\u034F\u115F\u1160\u17B4\u17B5\u3164\uFFA0]/gu;

const EMOJI_BEFORE = /[\p{Extended_Pictographic}\u{FE0F}\u{1F3FB}-\u{1F3FF}]$/u;
const EMOJI_AFTER = /^\p{Extended_Pictographic}/u;
const MONGOLIAN_BEFORE = /\p{Script=Mongolian}$/u;

/**
 * `text` without invisible and direction-changing characters and without unpaired surrogates. Kept:
 * tab, line feed and carriage return; line and paragraph separators become a line feed; a zero-width
 * joiner inside an emoji sequence (👨‍👩‍👧), a flag's tag sequence, the Mongolian vowel separator after
 * Mongolian letters, and variation selectors (emoji presentation, and the ideographic variants of rare
 * characters in names). Emoji and CJK extension characters are ordinary characters and stay.
 * Removing rather than replacing (as `String.prototype.toWellFormed` does, with U+FFFD) keeps a
 * company name as the applicant meant it.
 */
export function cleanText(text: string): string {
  return text.replace(/[\u2028\u2029]/g, '\n').replace(HIDDEN, (ch: string, flag: string | undefined, offset: number, whole: string) => {
    if (flag) return flag;
    if (ch === '\t' || ch === '\n' || ch === '\r') return ch;
    if (ch === '\u200D') {
      return EMOJI_BEFORE.test(whole.slice(Math.max(0, offset - 2), offset)) && EMOJI_AFTER.test(whole.slice(offset + 1, offset + 3)) ? ch : '';
    }
    if (ch === '\u180E') return MONGOLIAN_BEFORE.test(whole.slice(Math.max(0, offset - 1), offset)) ? ch : '';
    return '';
  });
}

/**
 * A request refused as malformed (400): its JSON nests deeper than any of ours does, or hides
 * `__proto__` or `constructor` in a key behind invisible characters (fastify refuses them written plainly).
 */
export class MalformedInputError extends Error {
  override readonly name = 'MalformedInputError';
  readonly statusCode = 400;
}

/** No request body of ours nests deeper than a few levels; this is far beyond and far below the stack. */
const MAX_DEPTH = 32;

/**
 * Every string of a parsed JSON value (object keys included) through `cleanText`, in place where it
 * can be; returns the cleaned value. Keys are defined as own properties, so cleaning never changes an
 * object's prototype.
 */
export function cleanStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) throw new MalformedInputError(`input nests deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = cleanStrings(value[i], depth + 1);
    return value;
  }
  for (const [key, item] of Object.entries(value)) {
    const cleanKey = cleanText(key);
    if (cleanKey !== key) {
      if (cleanKey === '__proto__' || cleanKey === 'constructor') throw new MalformedInputError(`a key hides ${cleanKey}`);
      Reflect.deleteProperty(value, key);
    }
    Object.defineProperty(value, cleanKey, { value: cleanStrings(item, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return value;
}
