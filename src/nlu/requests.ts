/**
 * Every request a message makes (`data/lexicon/requests.yaml`): commands and questions, all of them,
 * in text order. A phrase inside a longer phrase of another request does not count (什么证件 is a
 * question about materials, not 什么证 about permits).
 */
import type { RequestsFile } from './lexicon.ts';
import { createPhraseIndex } from './phrases.ts';
import type { Request, RequestKind } from './reading.ts';

export interface RequestMatcher {
  /** `text` is normalised (see normalize.ts). */
  match(text: string): Request[];
}

/** Trailing words that do not change a command: 「提交吧」「好的呀」「重来！」. */
const TRAILING = /[,.;!?~…。！？]+$|(?<=.)(?:吧|啊|呀|哈|呢|哦|了|嘛|啦|一下)+$/u;

const LATIN_LETTER = /[a-z]/;

const AGREEING = /^(?:好的|好吧|嗯嗯|可以|那就|那么|那我们|那我|那咱|现在|麻烦|行|好|嗯|ok|那|就)+[,.]?(?=.)/

export function createRequestMatcher(file: RequestsFile): RequestMatcher {
  const exact = new Map<string, RequestKind>();
  const phrases: { phrase: string; kind: RequestKind; notAfter: string[]; latin: boolean }[] = [];
  for (const r of file.requests) {
    for (const e of r.exact) if (!exact.has(e)) exact.set(e, r.id);
    for (const p of r.phrases) phrases.push({ phrase: p, kind: r.id, notAfter: r.notAfter, latin: /^[a-z]/.test(p) });
  }
  phrases.sort((a, b) => b.phrase.length - a.phrase.length);
  const index = createPhraseIndex(phrases.map((p) => p.phrase));

  return {
    match(text) {
      const whole = stripTrailing(text);
      // 「行，填表吧」「那就填表吧」: an agreeing word before a command leaves it the whole message.
      const command = exact.get(whole) ?? exact.get(text) ?? exact.get(whole.replace(AGREEING, ''));
      if (command) return [{ kind: command, exact: true, at: 0 }];
      const taken: { start: number; end: number }[] = [];
      const found: Request[] = [];
      // Longest phrase first, each where it stands in the text.
      for (const { word, start: at, end } of index.find(text)) {
        const phrase = phrases[word];
        if (!phrase) continue;
        if (taken.some((t) => at < t.end && end > t.start)) continue;
        if (phrase.latin && LATIN_LETTER.test(text[at - 1] ?? '')) continue;
        // A phrase after one of its 「not after」 words takes its span and asks nothing (不用提交).
        taken.push({ start: at, end });
        const before = text.slice(Math.max(0, at - 4), at);
        if (phrase.notAfter.some((w) => before.endsWith(w))) continue;
        if (!found.some((f) => f.kind === phrase.kind)) found.push({ kind: phrase.kind, exact: false, at });
      }
      return found.sort((a, b) => a.at - b.at);
    },
  };
}

export function stripTrailing(text: string): string {
  let t = text;
  for (let prev = ''; prev !== t; ) {
    prev = t;
    t = t.replace(TRAILING, '');
  }
  return t || text;
}
