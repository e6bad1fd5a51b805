/**
 * Chinese words for retrieval: jieba's search-mode segmentation (`@node-rs/jieba`, its own dictionary plus
 * the catalog's names), with the words that carry no meaning for a question left out. Each word also
 * gives its characters, so that 「寄给我」 still meets 「寄递」 and 「后补」 meets 「材料后补」.
 */
import { Jieba } from '@node-rs/jieba';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadIdf, lookup, type IdfTable } from './idf.ts';

/** One jieba per process: its dictionary takes a fifth of a second to load. */
let shared: Jieba | undefined;
const added = new Set<string>();

function jieba(): Jieba {
  // Read here, not taken from `@node-rs/jieba/dict.js`: that module keeps the dictionary (5 MB) and the IDF
  // text (6 MB) referenced for the life of the process, while jieba keeps its own copy of what it needs.
  shared ??= Jieba.withDict(readFileSync(createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt')));
  return shared;
}

/**
 * Adds words (trade, permit, material and place names) to the dictionary so that they stay whole:
 * 「健康证」 not 「健康/证」. Safe to call for several catalogs: a word is added once.
 */
export function addWords(words: Iterable<string>): void {
  const fresh = [...new Set(words)].map((w) => w.replace(/\s+/gu, '')).filter((w) => w.length >= 2 && !added.has(w));
  if (!fresh.length) return;
  for (const w of fresh) added.add(w);
  jieba().loadDict(Buffer.from(fresh.map((w) => `${w} 500000 n`).join('\n')));
}

/**
 * Words that say nothing about what is asked: how it is asked (怎么、吗、能不能), who asks (我、你们), fillers.
 * Kept apart from the characters' list below because 「要」 in 「要钱」 is not 「要」 in 「需要」.
 */
const STOP_WORDS = new Set(
  (
    '的 了 吗 呢 啊 呀 吧 么 嘛 哦 哈 呗 啦 喽 哇 是 在 有 和 与 及 或 还 也 都 就 又 才 再 很 太 挺 更 最 ' +
    '我 你 您 他 她 它 我们 你们 咱 咱们 他们 俺 自己 人家 这 那 这个 那个 这些 那些 这样 那样 这种 那种 哪 哪个 哪些 ' +
    '什么 啥 怎么 怎么样 怎样 咋 咋办 怎么办 如何 为什么 为啥 干嘛 多少 几 几个 吗 是不是 是否 能不能 可不可以 要不要 ' +
    '会不会 有没有 用不用 需不需要 行不行 好不好 能 可以 可 会 要 想 得 需要 应该 必须 一下 一些 一点 ' +
    '个 下 上 里 中 把 被 让 给 对 从 向 到 跟 同 为 以 于 之 其 而 但 但是 如果 要是 那么 所以 因为 然后 ' +
    '请问 请 问 问一下 麻烦 谢谢 你好 您好 好的 好 嗯 哎 唉 诶 呃 额 老师 同志 师傅 一家 开 办 做 搞 弄 ' +
    '一样 条 张 间 位 块 要来 那个 一下子 指 还要 去 来 店 儿 可能 不能 还能 不 没 没有 不是 不用 人 以后 之后 的话 还得 得 一般 这块 这块儿 那边 这边 东西 事 事情 情况 问题 ' +
    '现在 已经 还是 或者 就是 只是 不过 其实 反正 到底 究竟 大概 一般 咨询 知道 告诉 说 问问 想问 请教 一共 总共 全部 全都 所有 统统 一起 下来'
  ).split(/\s+/u),
);
/** Characters that alone mean nothing for retrieval (their words may: 「要钱」 keeps 钱). */
const STOP_CHARS = new Set([...'条张间位块的了吗呢啊呀吧么嘛哦哈呗啦是在有和与及或还也都就又才再很太挺更最我你您他她它们这那哪个些样种什啥怎咋如何为多少几能可会要想得需应该必须一下点上里中把被让给对从向到跟同以于之其而但果所因然后请问麻烦谢好嗯哎唉诶呃额老师同志傅家开办做搞弄现已经只过其实反正底究竟大概般咨询知道告诉说教']);

export interface Terms {
  /** Whole words and, for long words, the words inside them (search mode), without stop words. */
  words: string[];
  /** The characters of those words, without stop characters. */
  chars: string[];
  /**
   * The question's meaningful words, longest reading (「综合许可证」 once, not also 「综合」「许可」), each with
   * the shorter words inside it: what a passage must cover to answer it.
   */
  units: { word: string; parts: string[] }[];
}

/** The words and characters of `text` that retrieval matches on, and its units of meaning (a question's). */
export function terms(text: string): Terms {
  const clean = cleaned(text);
  if (!clean) return { words: [], chars: [], units: [] };
  const { words, chars } = wordsOf(clean);
  const units = [...new Set(jieba().cut(clean, false).map((w) => w.trim()).filter(meaningful))].map((word) => ({
    word,
    parts: word.length > 2 ? jieba().cutForSearch(word, false).filter((p) => p !== word && p.length >= 2 && meaningful(p)) : [],
  }));
  return { words, chars, units };
}

/**
 * The words and characters of `text` alone, without the units (which only a question needs): as `terms`
 * gives them, for a passage or a name, at a third less work.
 */
export function passageTerms(text: string): Omit<Terms, 'units'> {
  const clean = cleaned(text);
  return clean ? wordsOf(clean) : { words: [], chars: [] };
}

function cleaned(text: string): string {
  return text.replace(/[\p{P}\p{S}\s]+/gu, ' ').trim().toLowerCase();
}

function meaningful(w: string): boolean {
  return Boolean(w) && !STOP_WORDS.has(w) && !/^\d+$/u.test(w);
}

function wordsOf(clean: string): Omit<Terms, 'units'> {
  const words = jieba().cutForSearch(clean, false).map((w) => w.trim()).filter(meaningful);
  const chars = [...new Set(words.flatMap((w) => [...w]))].filter((c) => /\p{Script=Han}/u.test(c) && !STOP_CHARS.has(c));
  return { words: [...new Set(words)], chars };
}

/**
 * How much a word tells about what is asked, from jieba's own IDF table (a general corpus): 「说实话」 tells
 * less than 「寄递」.
 */
export function weight(word: string): number {
  idfTable ??= loadIdf();
  const known = lookup(idfTable, word) ?? pieceWeights.get(word);
  if (known !== undefined) return known;
  // A word the table lacks is most often an everyday compound (「交上去」「玩不转」): it says as much as its
  // most telling known piece; only what has no known piece (a name) counts as rare.
  const table = idfTable;
  const pieces = word.length > 1 ? [...jieba().cut(word, false), ...word].filter((p) => p !== word) : [];
  const weights = pieces.map((p) => lookup(table, p)).filter((w): w is number => w !== undefined);
  const found = weights.length ? Math.max(...weights) : UNKNOWN_IDF;
  if (pieceWeights.size > 50_000) pieceWeights.clear();
  pieceWeights.set(word, found);
  return found;
}

/** Whether jieba's IDF table has the word (a word of the language, not a fragment segmentation left). */
export function isKnownWord(word: string): boolean {
  idfTable ??= loadIdf();
  return lookup(idfTable, word) !== undefined;
}

const UNKNOWN_IDF = 10;

/** Weights worked out for words the table lacks, kept (bounded) so that each is worked out once. */
const pieceWeights = new Map<string, number>();

/** Loaded on first use (the index loads it at start). */
let idfTable: IdfTable | undefined;
