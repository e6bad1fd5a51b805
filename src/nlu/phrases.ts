/**
 * Finding many words in a short text in one pass: an Aho–Corasick automaton over a word list, built once
 * per list. It finds every occurrence, overlapping ones too, in the order a loop over the words calling
 * `text.indexOf(word, at + 1)` would, so a matcher keeps its own order of preference (longest word first)
 * without scanning the text once per word. Offsets are in UTF-16 code units, like `indexOf`.
 */

export interface Occurrence {
  /** The index of the word in the list the index was built from. */
  word: number;
  start: number;
  end: number;
}

export interface PhraseIndex {
  /** Every occurrence of every word: by the word's place in the list, then by start. */
  find(text: string): Occurrence[];
  /** Where each word found stands, by the word itself: its starts, ascending. */
  starts(text: string): Map<string, number[]>;
}

/** Builds the automaton; the same word listed twice is found twice, once under each index. */
export function createPhraseIndex(words: readonly string[]): PhraseIndex {
  // One map of all transitions, keyed by node and UTF-16 code (far lighter than a map per node).
  const next = new Map<number, number>();
  const key = (node: number, code: number) => node * 0x10000 + code;
  const children: number[][] = [[]];
  const codeOf: number[] = [0];
  const own: number[][] = [[]];
  words.forEach((word, id) => {
    if (!word) return;
    let node = 0;
    for (let i = 0; i < word.length; i++) {
      const code = word.charCodeAt(i);
      let child = next.get(key(node, code));
      if (child === undefined) {
        child = own.length;
        next.set(key(node, code), child);
        children[node]?.push(child);
        children.push([]);
        codeOf.push(code);
        own.push([]);
      }
      node = child;
    }
    own[node]?.push(id);
  });

  // Breadth first: each node's failure link is the longest proper suffix of its path that is a path too,
  // and its outputs are its own words and those of that suffix.
  const fail = new Int32Array(own.length);
  const out: number[][] = own.map((ids) => [...ids]);
  const queue: number[] = [...(children[0] ?? [])];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] ?? 0;
    for (const child of children[node] ?? []) {
      const code = codeOf[child] ?? 0;
      let f = fail[node] ?? 0;
      while (f > 0 && !next.has(key(f, code))) f = fail[f] ?? 0;
      fail[child] = next.get(key(f, code)) ?? 0;
      out[child]?.push(...(out[fail[child] ?? 0] ?? []));
      queue.push(child);
    }
  }
  const lengths = words.map((w) => w.length);
  const firstIndex = new Map<string, number>();
  words.forEach((w, i) => firstIndex.has(w) || firstIndex.set(w, i));
  const firstListed = words.map((w, i) => firstIndex.get(w) === i);

  const find = (text: string): Occurrence[] => {
    const found: Occurrence[] = [];
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let to = next.get(key(node, code));
      while (to === undefined && node > 0) {
        node = fail[node] ?? 0;
        to = next.get(key(node, code));
      }
      node = to ?? 0;
      for (const word of out[node] ?? []) found.push({ word, start: i + 1 - (lengths[word] ?? 0), end: i + 1 });
    }
    return found.sort(byWordThenStart);
  };

  return {
    find,
    starts(text) {
      const starts = new Map<string, number[]>();
      for (const { word, start } of find(text)) {
        // A word listed twice stands at each place once.
        if (!firstListed[word]) continue;
        const w = words[word] ?? '';
        const list = starts.get(w);
        if (list) list.push(start);
        else starts.set(w, [start]);
      }
      return starts;
    },
  };
}

function byWordThenStart(a: Occurrence, b: Occurrence): number {
  return a.word - b.word || a.start - b.start;
}
