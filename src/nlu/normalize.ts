/**
 * Text normalisation shared by every matcher: the lexicon's words and the user's text go through
 * the same function, so a match is a plain substring search.
 */

// Traditional characters and look-alike typos that commonly appear in shop talk. Deliberately small:
// a full traditional-to-simplified table is not needed to recognise a few hundred trade words.
const VARIANTS: Record<string, string> = {
  館: '馆', 舘: '馆', 飯: '饭', 麵: '面', 麪: '面', 藥: '药', 書: '书', 賓: '宾', 髮: '发', 嬰: '婴',
  務: '务', 網: '网', 業: '业', 證: '证', 開: '开', 個: '个', 廳: '厅', 樓: '楼', 們: '们', 買: '买',
  賣: '卖', 煙: '烟', 菸: '烟', 體: '体', 場: '场', 廣: '广', 園: '园', 區: '区', 鎮: '镇', 鄉: '乡',
  縣: '县', 門: '门', 飲: '饮', 荼: '茶', 巿: '市', 衛: '卫', 點: '点', 員: '员', 勞: '劳', 現: '现',
  製: '制', 鮮: '鲜', 雞: '鸡', 鴨: '鸭', 魚: '鱼', 燒: '烧', 滷: '卤', 麥: '麦', 藝: '艺', 電: '电',
  腦: '脑', 兩: '两', 萬: '万', 億: '亿', 幾: '几', 還: '还', 沒: '没', 無: '无', 噸: '吨', 積: '积',
  這: '这', 裡: '里', 裏: '里', 邊: '边', 對: '对', 淨: '净', 歡: '欢', 頭: '头', 費: '费', 貨: '货',
  雜: '杂', 鋪: '铺', 診: '诊', 車: '车', 驛: '驿', 遞: '递', 寵: '宠',
  訓: '训', 機: '机', 構: '构', 險: '险', 汙: '污', 圍: '围', 戶: '户', 內: '内', 處: '处',
};

const VARIANT = new RegExp(`[${Object.keys(VARIANTS).join('')}]`, 'gu');
const SPACE_OR_NUL = /[\s\u0000]/;

/**
 * NFKC (full-width letters, digits and punctuation to half-width; ㎡ to m2), lower case, a few
 * traditional variants to simplified; whitespace dropped except one space between Latin words, and a
 * space between Chinese words read as a comma.
 */
export function normalize(text: string): string {
  let s = text.normalize('NFKC').toLowerCase();
  s = s.replace(VARIANT, (ch) => VARIANTS[ch] ?? ch);
  // Nothing below changes a text without whitespace (or the NUL it uses as a marker).
  if (!SPACE_OR_NUL.test(s)) return s;
  // A single space stays where it separates two Latin letters or digits ("convenience store"). Between
  // Chinese words a space is how phone users end a clause (「卖烟 不卖药」): it becomes a comma, so a
  // negation never reaches across it.
  s = s.replace(/\s+/g, ' ').trim();
  s = s.replace(/(?<=[a-z0-9]) (?=[a-z0-9])/g, '\u0000');
  s = s.replace(/(?<=[\p{Script=Han}]) (?=[\p{Script=Han}])/gu, ',');
  s = s.replace(/ /g, '').replace(/\u0000/g, ' ');
  return s;
}

/** Characters that end a clause (after normalisation, full-width punctuation is ASCII). */
export const CLAUSE_BREAK = /[,.;!?:、。\n()[\]{}"'…~]/;

/** Start and end offsets of the clause that contains `index`. */
export function clauseAround(text: string, index: number): { start: number; end: number } {
  let start = index;
  while (start > 0 && !CLAUSE_BREAK.test(text[start - 1] ?? '')) start--;
  let end = index;
  while (end < text.length && !CLAUSE_BREAK.test(text[end] ?? '')) end++;
  return { start, end };
}

/** True for forms written in Latin letters: those match on word boundaries only. */
export function isLatin(form: string): boolean {
  return /^[a-z0-9&' -]+$/.test(form);
}

/** Replace `[start, end)` of `text` by placeholder characters of the same length (offsets stay valid). */
export function mask(text: string, start: number, end: number): string {
  return text.slice(0, start) + '□'.repeat(end - start) + text.slice(end);
}
