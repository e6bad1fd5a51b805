/**
 * jieba's IDF table as the index keeps it: sorted for a binary search, and read back from its cache file
 * exactly as parsed, with a damaged cache file parsed again rather than trusted.
 */
import { mkdtempSync, readdirSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadIdf, lookup, parseIdf, type IdfTable } from '../../src/knowledge/idf.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'idf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TEXT = '许可证 6.5\n一业一证 11.25\n寄递 9.75\n说实话 5.5\n 0.1\n证 3.25\n𠀀字 12\r\n综合 4.5';

const plain = (t: IdfTable) => ({ words: t.words, starts: [...t.starts], weights: [...t.weights] });

describe('the IDF table', () => {
  it('sorts the words by code unit and finds each with its weight; a line without a word is left out', () => {
    const table = parseIdf(TEXT);
    expect(table.weights.length).toBe(7);
    const words = [...table.starts].slice(0, -1).map((s, i) => table.words.slice(s, table.starts[i + 1]));
    expect(words).toEqual([...words].sort());
    expect(lookup(table, '寄递')).toBe(9.75);
    expect(lookup(table, '𠀀字')).toBe(12);
    expect(lookup(table, '综合')).toBe(4.5);
    expect(lookup(table, '综合证')).toBeUndefined();
  });

  it('is read back from its cache file as parsed, and parsed again when the file is damaged', () => {
    const source = path.join(dir, 'idf.txt');
    writeFileSync(source, TEXT);
    const cache = path.join(dir, 'cache');
    const parsed = plain(parseIdf(TEXT));
    expect(plain(loadIdf(source, cache))).toEqual(parsed);
    const [file = ''] = readdirSync(cache);
    expect(file).toMatch(/^[0-9a-f]{64}\.bin$/u);
    // Read, not parsed again: another table's cache file in its place is what comes back.
    const other = path.join(dir, 'other.txt');
    writeFileSync(other, '备案 7.5');
    loadIdf(other, cache);
    const otherFile = readdirSync(cache).find((f) => f !== file) ?? '';
    renameSync(path.join(cache, otherFile), path.join(cache, file));
    expect(plain(loadIdf(source, cache))).toEqual(plain(parseIdf('备案 7.5')));
    truncateSync(path.join(cache, file), 20);
    expect(plain(loadIdf(source, cache))).toEqual(parsed);
    expect(plain(loadIdf(source, cache))).toEqual(parsed);
  });
});
