/**
 * The numbered clauses of a region's document, read from its text: each 「（七）……」 paragraph under 「二、主要任务」
 * becomes clause 二（七）, a section without sub-clauses (「一、总体目标」) one clause 一. What answers a question about
 * the reform is then quoted with the clause it stands in, never paraphrased from memory.
 */

export interface Clause {
  /** 二（七）, or 一 for a section without sub-clauses. */
  ref: string;
  /** The section's heading (主要任务) and, for a sub-clause, its own lead (加强证照汇聚，实行“一码联动”). */
  heading: string;
  /** The clause as the document writes it, wrapped lines joined, without its number. */
  text: string;
}

const NUMERAL = '[一二三四五六七八九十]+';
const SECTION = new RegExp(`^(?:#+\\s*)?(${NUMERAL})、\\s*(.+)$`, 'u');
const SUBCLAUSE = new RegExp(`^[（(](${NUMERAL})[）)]\\s*(.*)$`, 'u');
/** Where the plan's body ends: the attachments, their list, the distribution list. */
const END = /^(?:[-*]\s*)?(?:附件[:：\s\d]|附件$|抄送)/u;

/**
 * Parses the plan's body (from its first numbered section to its attachments). Lines that do not start a
 * section or a clause continue the clause before them (the extraction wraps long paragraphs, at times in
 * the middle of a word: 「发\n\n挥」).
 */
export function parseClauses(documentText: string): Clause[] {
  const clauses: Clause[] = [];
  let section: { numeral: string; heading: string; body: string[]; hasSub: boolean } | null = null;
  let current: Clause | null = null;

  const closeSection = () => {
    if (section && !section.hasSub && section.body.length) {
      clauses.push({ ref: section.numeral, heading: section.heading, text: joinLines(section.body) });
    }
  };
  for (const raw of documentText.split(/\r?\n/u)) {
    const line = raw.replace(/^\s*#+\s*/u, '').trim();
    if (!line) continue;
    if (section && END.test(line)) break;
    const sectionMatch = SECTION.exec(line);
    if (sectionMatch && sectionMatch[1] && sectionMatch[2] && sectionMatch[2].length <= 20) {
      closeSection();
      section = { numeral: sectionMatch[1], heading: sectionMatch[2].trim(), body: [], hasSub: false };
      current = null;
      continue;
    }
    if (!section) continue;
    const sub = SUBCLAUSE.exec(line);
    if (sub && sub[1]) {
      section.hasSub = true;
      const body = sub[2] ?? '';
      current = { ref: `${section.numeral}（${sub[1]}）`, heading: `${section.heading}：${lead(body)}`, text: body };
      clauses.push(current);
      continue;
    }
    if (current) current.text = joinLines([current.text, line]);
    else section.body.push(line);
  }
  closeSection();
  return clauses;
}

/** The clause's own title: its first sentence when it is short (「加强证照汇聚，实行“一码联动”」). */
function lead(body: string): string {
  const first = body.split('。')[0] ?? '';
  return first.length <= 24 ? first : '';
}

function joinLines(lines: string[]): string {
  return lines.join('').replace(/\s+/gu, '');
}

/** The sentences of a clause, each ending with its own 。 (the 责任单位 note left out: it answers nothing). */
export function sentences(text: string): string[] {
  return (text.match(/[^。；]+[。；]?/gu) ?? [])
    .map((s) => s.trim())
    .filter((s) => s && !/^[（(](?:责任单位|牵头单位)/u.test(s));
}
