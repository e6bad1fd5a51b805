import { describe, expect, it } from 'vitest';
import { cleanStrings, cleanText, MalformedInputError } from '../../src/kernel/cleanText.ts';

describe('cleanText', () => {
  it('drops unpaired surrogates, keeps pairs, and never makes a pair of two halves it dropped around something', () => {
    expect(cleanText('a\uD800b\uDFFFc')).toBe('abc');
    expect(cleanText('\uDFFF\uD800')).toBe('');
    expect(cleanText('\uD800\u200B\uDFFF')).toBe('');
    expect(cleanText('𠀀\uD83D')).toBe('𠀀');
  });

  it('drops bidi marks, embeddings, overrides and isolates, zero-width characters, controls and noncharacters', () => {
    expect(cleanText('奈曼\u202E旗\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069\u200E\u200F\u061C')).toBe('奈曼旗');
    expect(cleanText('a\u200Bb\u200Cc\u2060d\uFEFFe\u00ADf\u034Fg\u3164h\u115Fi')).toBe('abcdefghi');
    expect(cleanText('a\u0000b\u0007c\u001Bd\u007Fe\u0085f\u009Fg\uFFFEh\uFDD0i')).toBe('abcdefghi');
    expect(cleanText('x\u{E0041}\u{E0001}y')).toBe('xy');
  });

  it('keeps tabs and line breaks, reads line and paragraph separators as line breaks', () => {
    expect(cleanText('a\tb\nc\r\nd')).toBe('a\tb\nc\r\nd');
    expect(cleanText('a\u2028b\u2029c')).toBe('a\nb\nc');
  });

  it('keeps emoji whole (ZWJ sequences, flags with tags, skin tones, variation selectors) and rare CJK characters', () => {
    for (const ok of ['👨‍👩‍👧', '👩‍❤️‍👨', '🏳️‍🌈', '👨🏻‍💻', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🇨🇳', '👍🏽', '❤️', '𠀀𪚥𰻝', '葛\u{E0100}', '㊣', '０１ＡＢ']) expect(cleanText(ok)).toBe(ok);
    // A zero-width joiner between letters joins nothing.
    expect(cleanText('王\u200D五')).toBe('王五');
    // The Mongolian vowel separator belongs to Mongolian words only.
    expect(cleanText('ᠮᠣᠩ\u180Eᠭ')).toBe('ᠮᠣᠩ\u180Eᠭ');
    expect(cleanText('a\u180Eb')).toBe('ab');
  });
});

describe('cleanStrings', () => {
  it('cleans every string and key of a JSON value in place', () => {
    const body = JSON.parse('{"text":"a\\u202eb","form":{"entity\\u200b_name":"老\\ud800王"},"list":["\\u0000x",1,true,null]}');
    expect(cleanStrings(body)).toEqual({ text: 'ab', form: { entity_name: '老王' }, list: ['x', 1, true, null] });
    expect(cleanStrings('\uFEFFhi')).toBe('hi');
    expect(cleanStrings(undefined)).toBeUndefined();
  });

  it('refuses keys that hide __proto__ or constructor, and nesting no request of ours has', () => {
    expect(() => cleanStrings(JSON.parse('{"__pro\\u200bto__":{"polluted":true}}'))).toThrow(MalformedInputError);
    expect(() => cleanStrings(JSON.parse('{"a":{"constr\\u200buctor":{"prototype":{}}}}'))).toThrow(MalformedInputError);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(() => cleanStrings(deep)).toThrow(MalformedInputError);
    let fine: unknown = 'x';
    for (let i = 0; i < 20; i++) fine = { a: fine };
    expect(() => cleanStrings(fine)).not.toThrow();
  });
});
