/**
 * Validation of the merged form's fields. Check characters follow the national standards:
 * GB 32100-2015 for the 统一社会信用代码 and GB 11643-1999 for the 居民身份证号码.
 */
import type { Field } from '../catalog/schema.ts';
import { cleanText } from '../kernel/cleanText.ts';

export type FieldValue = string | number | boolean | string[];
export type Validation = { ok: true; value: FieldValue } | { ok: false; message: string };

const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 32100-2015: 18 characters, the last a mod-31 check character. */
export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_CHARS.indexOf(code.charAt(i)) * (CREDIT_CODE_WEIGHTS[i] ?? 0);
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_CHARS.charAt(check) === code.charAt(17);
}

/** GB 11643-1999: 17 digits (with a real birth date), then a mod-11 check digit or X. */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const birth = id.slice(6, 14);
  const date = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10).replaceAll('-', '') !== birth) return false;
  if (date.getUTCFullYear() < 1900 || date.getTime() > Date.now()) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id.charAt(i)) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK.charAt(sum % 11) === id.charAt(17);
}

const MIN_AGE = 16;
const MAX_AGE = 100;

/** Whole years of age on `at`, from the birth date of an 18-digit id number. */
function ageOn(id: string, at: Date): number {
  const year = Number(id.slice(6, 10));
  const monthDay = Number(id.slice(10, 14));
  const nowMonthDay = (at.getUTCMonth() + 1) * 100 + at.getUTCDate();
  return at.getUTCFullYear() - year - (nowMonthDay < monthDay ? 1 : 0);
}

export function isValidMobile(mobile: string): boolean {
  return /^1[3-9]\d{9}$/.test(mobile);
}

/**
 * Validates and normalises one answer to a form field; the message is safe to show the user. Values are
 * printed on the licence: invisible and direction-changing characters are removed first (whatever channel
 * the value came from), and a value is one line.
 */
export function validateField(field: Field, raw: string): Validation {
  const text = cleanText(raw).normalize('NFKC').replace(/[\t\n\r\v\f]+/g, ' ').trim();
  if (!text) return { ok: false, message: `请填写${field.label}。` };
  const maxLength = field.maxLength ?? 200;
  switch (field.type) {
    case 'credit_code': {
      const code = text.replace(/[\s-]/g, '').toUpperCase();
      if (code.length !== 18) return { ok: false, message: `统一社会信用代码应为18位，您填写的是${code.length}位。` };
      if (!isValidCreditCode(code)) return { ok: false, message: '统一社会信用代码校验不通过，请核对营业执照上的代码。' };
      return { ok: true, value: code };
    }
    case 'id_number': {
      // 「身份证15052519791123003X」: the number inside the words.
      const id = (/\d{17}[\dXx]|\d{15,20}/.exec(text.replace(/\s/g, ''))?.[0] ?? text.replace(/\s/g, '')).toUpperCase();
      if (id.length !== 18) return { ok: false, message: `居民身份证号码应为18位，您填写的是${id.length}位。` };
      if (/^\d{17}[\dX]$/.test(id) && Number(id.slice(6, 10)) > new Date().getUTCFullYear()) {
        return { ok: false, message: `这个身份证号码的出生年份是${id.slice(6, 10)}年，还没到，请核对后重新填写。` };
      }
      if (!isValidIdNumber(id)) return { ok: false, message: '身份证号码校验不通过，请核对后重新填写。' };
      // A number can pass its check digit and still not be a living applicant's: the birth date says so.
      const age = ageOn(id, new Date());
      if (age > MAX_AGE) return { ok: false, message: `这个身份证号码的出生年份是${id.slice(6, 10)}年，年龄超过${MAX_AGE}岁，请核对后重新填写。` };
      if (age < MIN_AGE) return { ok: false, message: `这个身份证号码的出生日期是${id.slice(6, 10)}年${Number(id.slice(10, 12))}月，还不满${MIN_AGE}周岁，请核对是否填成了别人的号码。` };
      return { ok: true, value: id };
    }
    case 'mobile': {
      // 「我电话15837312345」: the number inside a sentence.
      const inside = /(?<!\d)1[3-9]\d{9}(?!\d)/.exec(text.replace(/[\s-]/g, ''))?.[0];
      const mobile = inside ?? text.replace(/[\s-]/g, '').replace(/^(\+?86)/, '');
      if (!isValidMobile(mobile)) return { ok: false, message: '请填写11位手机号码，例如 13912345678。' };
      return { ok: true, value: mobile };
    }
    case 'phone': {
      const phone = text.replace(/[\s]/g, '').replace(/^(\+?86)/, '');
      if (isValidMobile(phone) || /^0\d{2,3}-?\d{7,8}$/.test(phone)) return { ok: true, value: phone };
      return { ok: false, message: '请填写手机号码或带区号的固定电话，例如 13912345678 或 0475-1234567。' };
    }
    case 'number':
    case 'integer': {
      // 「新长路100号」 typed one field late is an address, not 100 of anything; 「二三十平」 is an area, not people.
      if (/[路街巷号村镇省市]/.test(text)) return { ok: false, message: `${field.label}请填写数字${field.unit ? `（单位：${field.unit}）` : ''}。` };
      if (field.unit === '人' && /平|㎡|m2|亩/.test(text)) return { ok: false, message: `这是面积吧？${field.label}请填写人数。` };
      const match = /^(\d+(?:\.\d+)?)/.exec(text.replace(/[,，\s]/g, ''));
      const value = match ? Number(match[1]) : Number.NaN;
      const unit = field.unit ? `（单位：${field.unit}）` : '';
      if (!Number.isFinite(value)) return { ok: false, message: `${field.label}请填写数字${unit}。` };
      if (field.type === 'integer' && !Number.isInteger(value)) return { ok: false, message: `${field.label}请填写整数${unit}。` };
      if (field.min !== undefined && value < field.min) return { ok: false, message: `${field.label}不能小于${field.min}${field.unit ?? ''}。` };
      if (field.max !== undefined && value > field.max) return { ok: false, message: `${field.label}不能大于${field.max}${field.unit ?? ''}。` };
      return { ok: true, value };
    }
    case 'date': {
      const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
      const iso = m ? `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}` : '';
      if (!m || Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso) {
        return { ok: false, message: `${field.label}请按「2025-01-31」的格式填写日期。` };
      }
      return { ok: true, value: iso };
    }
    case 'choice': {
      // The option named exactly, else the one option whose words the answer contains (「寄给我吧」).
      const contained = (field.options ?? []).filter(
        (o) => [o.label, ...o.synonyms].some((w) => w.length >= 2 && saysWord(text, w.normalize('NFKC'))) || (text.length >= 2 && o.label.normalize('NFKC').includes(text)),
      );
      const option = findOption(field, text) ?? (contained.length === 1 ? contained[0]?.id : undefined);
      if (!option) return { ok: false, message: `请从以下选项中选择：${optionLabels(field)}。` };
      return { ok: true, value: option };
    }
    case 'multi_choice': {
      const parts = text.split(/[、,，;；\s]+/).filter(Boolean);
      const chosen = parts.map((p) => findOption(field, p));
      if (chosen.length > 0 && chosen.every((c) => c !== undefined)) {
        return { ok: true, value: [...new Set(chosen.filter((c): c is string => c !== undefined))] };
      }
      // 「卖点熟食和饮料」: the options whose label or everyday words the answer contains.
      const named = (field.options ?? []).filter((o) => [o.label, ...o.synonyms].some((w) => w.length >= 2 && saysWord(text, w.normalize('NFKC')))).map((o) => o.id);
      if (named.length) return { ok: true, value: named };
      return { ok: false, message: `请从以下选项中选择（可多选，用顿号分隔），也可以直接写经营的内容：${optionLabels(field)}。` };
    }
    case 'boolean': {
      // 「没有，就是分体空调」: the first words say it.
      const first = text.split(/[,，。.;；\s]/)[0] ?? text;
      if (/^(?:否|无|没有|没|不|不是|不用|没用|不需要|no|n)/i.test(first)) return { ok: true, value: false };
      if (/^(?:是|有|对|需要|用|yes|y)/i.test(first)) return { ok: true, value: true };
      return { ok: false, message: '请回答「是」或「否」。' };
    }
    case 'address': {
      if (!plausibleText(text)) return { ok: false, message: `${field.label}请用文字填写，不能包含 < > 等符号。` };
      // A full address ends in a number or a place small enough to find: 12号, 3栋, 某村某组.
      // A crossing (「建设路与人民路交叉口东北角」) can be found as well as a house number.
      // 「13972012345」 typed at the address is a phone number, not a place.
      if (/^[\d\s+()（）-]+$/u.test(text)) return { ok: false, message: `${field.label}请填写经营场所的地址（到门牌号），例如「某某路12号」，不是电话号码。` };
      if (text.length < 5 || !/\d|号|栋|幢|楼|室|村|组|屯|嘎查|队|巷|弄|铺|门|交叉口|路口|交汇处|十字|拐角|路[东南西北]|[东西南北]段|[东西南北]侧|对面/.test(text)) {
        return { ok: false, message: `${field.label}请填写完整地址（到门牌号），例如「某某路12号」。` };
      }
      if (text.length > maxLength) return { ok: false, message: `${field.label}太长了，请控制在${maxLength}字以内。` };
      return { ok: true, value: text };
    }
    case 'text': {
      if (!plausibleText(text)) return { ok: false, message: `${field.label}请用文字填写，不能只有表情或包含 < > 等符号。` };
      // Names and titles are words: a bare number (often a phone number typed in the wrong place) is not one,
      // nor an id number, nor 「不确定」.
      if (/^[\d\s+\-()]+$/.test(text) || /\d{15,17}[\dXx]/.test(text)) return { ok: false, message: `${field.label}请填写文字，不要填号码。` };
      if (/^(?:不确定|不知道|不清楚|还没|还没有|暂时没有|没有|待定)/.test(text)) {
        return { ok: false, message: `「${field.label}」需要填写${field.required ? '（必填）' : '，选填项可以回复「跳过」'}。如暂时还没有，可以先办别的，填写的内容都会保存。` };
      }
      if (text.length > maxLength) return { ok: false, message: `${field.label}太长了，请控制在${maxLength}字以内。` };
      return { ok: true, value: text };
    }
  }
}

/**
 * The answer says `word`, and not 「不是/非/没有 word」 (「灯箱，不是电子屏」「不做饭」): for a form's options
 * and a scenario question's, whose words are matched as typed.
 */
export function saysWord(text: string, word: string): boolean {
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    if (!/(?:不是|没有|不用|不|没|无|非)$/.test(text.slice(Math.max(0, at - 2), at))) return true;
  }
  return false;
}

/** Words, not markup or only emoji: at least one letter or digit, and no angle brackets. */
function plausibleText(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text) && !/[<>]/.test(text);
}

/** The option named exactly: its id, label or a synonym, compared as typed (full-width or not). */
function findOption(field: Field, text: string): string | undefined {
  const t = text.normalize('NFKC');
  return field.options?.find((o) => o.id === t || [o.label, ...o.synonyms].some((w) => w.normalize('NFKC') === t))?.id;
}

function optionLabels(field: Field): string {
  return field.options?.map((o) => o.label).join('、') ?? '';
}
