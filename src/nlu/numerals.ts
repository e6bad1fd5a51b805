/**
 * Numbers as people type them in Chinese: 800, 1.2万, 一百五十, 一百五 (150), 两千五 (2500),
 * 一万二 (12000), 七八 (a range: the larger, 8), 三四百 (400), 半 (0.5), 俩 (2), 1,200.
 */

const DIGIT: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 俩: 2, 三: 3, 仨: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const SMALL_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const BIG_UNIT: Record<string, number> = { 万: 1e4, 亿: 1e8 };

/** A regular-expression source matching one number as written (use with a unit after it). */
export const NUMBER_SOURCE =
  '(?:\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)(?:[十百千万亿][0-9一二三四五六七八九]?)*' +
  // 三十点五, 三百点五: a decimal written in Chinese.
  '|[零〇一二两俩仨三四五六七八九十百千]+点[零〇一二三四五六七八九]+' +
  '|[零〇一二两俩仨三四五六七八九十百千万亿]+|半';

type Token = { kind: 'num'; value: number; chinese: boolean } | { kind: 'zero' } | { kind: 'unit'; value: number } | { kind: 'big'; value: number };

function tokenize(s: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const rest = s.slice(i);
    const arabic = /^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?/.exec(rest);
    if (arabic) {
      tokens.push({ kind: 'num', value: Number(arabic[0].replace(/,/g, '')), chinese: false });
      i += arabic[0].length;
      continue;
    }
    const ch = s[i] ?? '';
    if (ch === '零' || ch === '〇') tokens.push({ kind: 'zero' });
    else if (ch in DIGIT) tokens.push({ kind: 'num', value: DIGIT[ch] ?? 0, chinese: true });
    else if (ch in SMALL_UNIT) tokens.push({ kind: 'unit', value: SMALL_UNIT[ch] ?? 1 });
    else if (ch in BIG_UNIT) tokens.push({ kind: 'big', value: BIG_UNIT[ch] ?? 1 });
    else return null;
    i++;
  }
  return tokens;
}

/**
 * Parse one number; null when `s` is not a number. Ranges of two neighbouring digits (七八, 三四百)
 * give the larger bound: a count or an area is then not under-stated.
 */
export function parseNumber(input: string): number | null {
  const s = input.trim();
  if (s === '') return null;
  if (s === '半') return 0.5;
  // 三十点五 = 30.5: the whole part as a number, the digits after 点 one by one.
  const decimal = /^(.+)点([零〇一二三四五六七八九]+)$/u.exec(s);
  if (decimal) {
    const whole = parseNumber(decimal[1] ?? '');
    const digits = [...(decimal[2] ?? '')].map((ch) => DIGIT[ch] ?? 0).join('');
    return whole === null ? null : Number(`${whole}.${digits}`);
  }
  const tokens = tokenize(s);
  if (!tokens || tokens.length === 0) return null;

  // A run of Chinese digits without units is positional (二零二四), unless it is a range (七八).
  if (tokens.every((t) => t.kind === 'num' || t.kind === 'zero') && tokens.length > 1) {
    const digits = tokens.map((t) => (t.kind === 'num' ? t.value : 0));
    if (digits.length === 2 && digits[1] === (digits[0] ?? 0) + 1) return digits[1] ?? null;
    return Number(digits.join(''));
  }

  let total = 0;
  let section = 0;
  let current: number | null = null;
  let lastUnit = 0; // the unit just before `current`, for 一百五 (= 150)
  let zeroSeen = false;
  for (const t of tokens) {
    switch (t.kind) {
      case 'num':
        if (current !== null && t.chinese && t.value === current + 1) current = t.value; // range 三四百
        else if (current !== null) return null;
        else current = t.value;
        break;
      case 'zero':
        zeroSeen = true;
        break;
      case 'unit':
        section += (current ?? 1) * t.value;
        current = null;
        lastUnit = t.value;
        zeroSeen = false;
        break;
      case 'big':
        section += current ?? 0;
        total += (section === 0 ? 1 : section) * t.value;
        section = 0;
        current = null;
        lastUnit = t.value;
        zeroSeen = false;
        break;
    }
  }
  if (current !== null) {
    // 一百五 / 两千五 / 一万二 / 2万5: a trailing digit right after a unit counts in the next lower unit.
    section += lastUnit >= 10 && !zeroSeen ? current * (lastUnit / 10) : current;
  }
  const value = total + section;
  return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : null;
}
