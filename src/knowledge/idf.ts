/**
 * jieba's IDF table (a general corpus: how rare each of 270,000 words is), kept compact: the words sorted
 * and joined in one string, with their offsets and weights in typed arrays (a `Map` of them costs about
 * 35 MB of heap; this, about 4 MB).
 *
 * Parsing and sorting the table's text takes about a second and leaves some 70 MB of garbage that V8 keeps
 * as resident pages, so it is done once per content of the table: the result is kept as a binary file
 * under node_modules/.cache/yiye-idf (written by `npm run build`, else by the first start), named by the
 * SHA-256 of the table's text, and read back in a few milliseconds. The cache is best effort: unwritable,
 * the table is parsed at every start.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface IdfTable {
  /** The words in UTF-16 code unit order, joined. */
  words: string;
  /** Where each word starts in `words`, and one more: where the last ends. */
  starts: Uint32Array;
  weights: Float32Array;
}

const IDF_FILE = createRequire(import.meta.url).resolve('@node-rs/jieba/idf.txt');
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/yiye-idf/', import.meta.url));
/** Part of the cache file's name: a change of the layout below never reads a file of the old one. */
const FORMAT = 'idf-table-1';

/** The table (jieba's, unless another file is given), from the cache when this text of it was parsed before. */
export function loadIdf(file: string = IDF_FILE, cacheDir: string = CACHE_DIR): IdfTable {
  const cacheFile = path.join(cacheDir, `${digest(file)}.bin`);
  const cached = readCache(cacheFile);
  if (cached) return cached;
  const table = parseIdf(readFileSync(file, 'utf8'));
  writeCache(cacheDir, cacheFile, table);
  return table;
}

/** The weight of `word`, if the table has it. */
export function lookup(table: IdfTable, word: string): number | undefined {
  let lo = 0;
  let hi = table.weights.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const key = table.words.slice(table.starts[mid], table.starts[mid + 1]);
    if (key === word) return table.weights[mid];
    if (key < word) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** `word weight` lines, in no order, as the sorted table. */
export function parseIdf(text: string): IdfTable {
  const words: string[] = [];
  const parsed: number[] = [];
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const space = text.indexOf(' ', at);
    if (space > at && space < end) {
      words.push(text.slice(at, space));
      parsed.push(Number(text.slice(space + 1, end)));
    }
    at = end + 1;
  }
  // Sorted by index, not by moving objects: no entry objects for the 270,000 words.
  const order = Uint32Array.from(words.keys()).sort((a, b) => {
    const x = words[a] ?? '';
    const y = words[b] ?? '';
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const starts = new Uint32Array(order.length + 1);
  const weights = new Float32Array(order.length);
  const sorted: string[] = [];
  let offset = 0;
  order.forEach((from, i) => {
    const word = words[from] ?? '';
    starts[i] = offset;
    weights[i] = parsed[from] ?? 0;
    sorted.push(word);
    offset += word.length;
  });
  starts[order.length] = offset;
  return { words: sorted.join(''), starts, weights };
}

/** The SHA-256 of the layout and the file, read in small pieces: not 6 MB more memory at every start. */
function digest(file: string): string {
  const hash = createHash('sha256').update(FORMAT);
  const piece = Buffer.allocUnsafe(1 << 16);
  const fd = openSync(file, 'r');
  try {
    for (let n = readSync(fd, piece); n > 0; n = readSync(fd, piece)) hash.update(piece.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/*
 * The cache file: two 32-bit counts (words, UTF-16 code units of all words), the starts, the weights, then
 * the words in UTF-16LE. Numbers in the machine's own byte order: the cache never leaves the machine.
 */

function readCache(file: string): IdfTable | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    // Read straight into the arrays: no second copy of the file in memory.
    const size = fstatSync(fd).size;
    const head = new Uint32Array(2);
    if (!readAll(fd, head, 0)) return undefined;
    const [count = 0, chars = 0] = head;
    const startsAt = head.byteLength;
    const weightsAt = startsAt + 4 * (count + 1);
    const wordsAt = weightsAt + 4 * count;
    if (size !== wordsAt + 2 * chars) return undefined;
    const starts = new Uint32Array(count + 1);
    const weights = new Float32Array(count);
    const words = Buffer.allocUnsafe(2 * chars);
    if (!readAll(fd, starts, startsAt) || !readAll(fd, weights, weightsAt) || !readAll(fd, words, wordsAt) || starts[count] !== chars) return undefined;
    return { words: words.toString('utf16le'), starts, weights };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Whether `into` was filled from the file at `position`. */
function readAll(fd: number, into: NodeJS.ArrayBufferView, position: number): boolean {
  return readSync(fd, into, 0, into.byteLength, position) === into.byteLength;
}

function writeCache(dir: string, file: string, table: IdfTable): void {
  const count = table.weights.length;
  const head = new Uint32Array([count, table.words.length]);
  const data = Buffer.concat([bytes(head), bytes(table.starts), bytes(table.weights), Buffer.from(table.words, 'utf16le')]);
  try {
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed, so a reader never sees half a file.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, data);
    renameSync(partial, file);
  } catch {
    // A read-only install: parsed at every start.
  }
}

function bytes(array: Uint32Array | Float32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}
