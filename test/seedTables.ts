/**
 * Reads the catalog tables straight out of the source documents' text, independently of our YAML, so
 * tests can prove the transcription faithful.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface SeedRow {
  seq: number;
  industry: string;
  item: string;
  department: string;
  note: string;
}

const sourceFile = (name: string) => fileURLToPath(new URL(`../data/sources/${name}`, import.meta.url));

/** 新乡经开区 附件2: tab-separated rows; a row with an empty item continues the previous note. */
export function xinxiangRows(): SeedRow[] {
  const text = readFileSync(sourceFile('xinxiang-2022-23.txt'), 'utf8');
  const table = text.slice(text.indexOf('## 经开区“一业一证”改革目录（第一批）'));
  const rows: SeedRow[] = [];
  let seq = 0;
  let industry = '';
  for (const line of table.split('\n')) {
    if (!line.includes('\t') || line.startsWith('序号')) continue;
    const [a = '', b = '', item = '', department = '', note = ''] = line.split('\t').map((c) => c.trim());
    if (/^\d+$/.test(a)) {
      seq = Number(a);
      industry = b;
    }
    if (!item) {
      const last = rows.at(-1);
      if (last && note) last.note += note;
      continue;
    }
    rows.push({ seq, industry, item, department, note });
  }
  return rows;
}

/** 奈曼旗 附件1: one cell per tab-led line, five cells a row; untabbed lines continue the cell before. */
export function naimanRows(): SeedRow[] {
  const text = readFileSync(sourceFile('naiman-2024-30.txt'), 'utf8');
  const start = text.indexOf('奈曼旗“一业一证”改革试点行业目录', text.indexOf('附件1\n'));
  const end = text.indexOf('附件2', start);
  const cells: string[] = [];
  for (const line of text.slice(start, end).split('\n').slice(1)) {
    if (line.startsWith('\t')) cells.push(line.trim());
    else if (line.trim() && cells.length) cells[cells.length - 1] += line.trim();
  }
  const rows: SeedRow[] = [];
  let seq = 0;
  let industry = '';
  for (let i = 5; i + 4 < cells.length + 1; i += 5) {
    const [a = '', b = '', item = '', department = '', note = ''] = cells.slice(i, i + 5);
    if (a) {
      seq = Number(a);
      industry = b;
    }
    rows.push({ seq, industry, item, department, note });
  }
  return rows;
}
