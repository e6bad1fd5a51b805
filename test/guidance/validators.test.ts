import { describe, expect, it } from 'vitest';
import { isValidCreditCode, isValidIdNumber, validateField } from '../../src/guidance/validators.ts';
import { maskIdNumber, maskMobile, maskText } from '../../src/privacy/mask.ts';
import type { Field } from '../../src/catalog/schema.ts';

const field = (over: Partial<Field> & Pick<Field, 'type'>): Field => ({
  id: 'f',
  aliases: [],
  label: '字段',
  common: false,
  required: true,
  personal: false,
  ...over,
});

describe('GB 32100 统一社会信用代码', () => {
  it('accepts real codes and rejects a changed character', () => {
    for (const code of ['91350100M000100Y43', '91110000802100433B', '91440300708461136T']) expect(isValidCreditCode(code)).toBe(true);
    expect(isValidCreditCode('91440300708461136A')).toBe(false);
    expect(isValidCreditCode('9144030070846113')).toBe(false);
    expect(isValidCreditCode('91440300708461136I')).toBe(false); // I is not in the character set
  });
  it('normalises spaces, full-width and lower case, and explains a wrong length', () => {
    expect(validateField(field({ type: 'credit_code' }), ' ９１３５０１００ｍ０００１００ｙ４３ ')).toEqual({ ok: true, value: '91350100M000100Y43' });
    const r = validateField(field({ type: 'credit_code' }), '1234');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('18位');
  });
});

describe('GB 11643 居民身份证号码', () => {
  it('checks the check digit and the birth date', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('110105194902300027')).toBe(false); // 30 February
    expect(validateField(field({ type: 'id_number' }), '11010519491231002x')).toEqual({ ok: true, value: '11010519491231002X' });
  });
});

describe('other field types', () => {
  it('mobile numbers with spaces, dashes or +86', () => {
    expect(validateField(field({ type: 'mobile' }), '+86 139-1234-5678')).toEqual({ ok: true, value: '13912345678' });
    expect(validateField(field({ type: 'mobile' }), '12345678901').ok).toBe(false);
  });
  it('numbers with units and bounds', () => {
    const area = field({ type: 'number', unit: '平方米', min: 1, max: 100000 });
    expect(validateField(area, '300平方米')).toEqual({ ok: true, value: 300 });
    expect(validateField(area, '0').ok).toBe(false);
    expect(validateField(area, '很大').ok).toBe(false);
  });
  it('addresses must not be empty or a fragment', () => {
    const address = field({ type: 'address', label: '经营场所地址' });
    expect(validateField(address, '   ').ok).toBe(false);
    expect(validateField(address, '大沁他拉').ok).toBe(false);
    // A phone number typed at the address (the blind round's 「13972012345」) is not a place.
    expect(validateField(address, '13972012345').ok).toBe(false);
    expect(validateField(address, '奈曼旗大沁他拉镇团结路12号').ok).toBe(true);
  });
  it('choices by label or id', () => {
    const choice = field({ type: 'multi_choice', options: [{ id: 'a', label: '游泳', synonyms: [] }, { id: 'b', label: '攀岩', synonyms: [] }] });
    expect(validateField(choice, '游泳、攀岩')).toEqual({ ok: true, value: ['a', 'b'] });
    expect(validateField(choice, '跳伞').ok).toBe(false);
  });
});

describe('masking personal data', () => {
  it('masks ID and mobile numbers, alone and inside text', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskMobile('13912345678')).toBe('139****5678');
    expect(maskText('身份证11010519491231002X，电话139 1234 5678')).toBe('身份证110105********002X，电话139****5678');
  });
});

describe('values printed on a licence', () => {
  it('lose invisible and direction-changing characters and unpaired surrogates, whatever the channel, and are one line', () => {
    expect(validateField(field({ type: 'text' }), '老\u202E王\u2066便利\u2069店\u200B\uFEFF\uD800')).toEqual({ ok: true, value: '老王便利店' });
    expect(validateField(field({ type: 'address' }), '奈曼旗\u0000示例路\n1号\u00AD')).toEqual({ ok: true, value: '奈曼旗示例路 1号' });
    expect(validateField(field({ type: 'mobile' }), '139\u200B1234\u20605678')).toEqual({ ok: true, value: '13912345678' });
    expect(validateField(field({ type: 'text' }), '老王😀👨‍👩‍👧𠀀𰻝小店')).toEqual({ ok: true, value: '老王😀👨‍👩‍👧𠀀𰻝小店' });
    // Nothing but hidden characters is nothing written.
    const blank = validateField(field({ type: 'text' }), '\u200B\u202E\uDFFF');
    expect(blank.ok).toBe(false);
    if (!blank.ok) expect(blank.message).toBe('请填写字段。');
  });
});
