import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LexiconError, loadLexicon, parseLexicon } from '../../src/nlu/index.ts';

const industries = { path: 'data/lexicon/industries.yaml', text: readFileSync('data/lexicon/industries.yaml', 'utf8') };
const facts = { path: 'data/lexicon/facts.yaml', text: readFileSync('data/lexicon/facts.yaml', 'utf8') };
const requests = { path: 'data/lexicon/requests.yaml', text: readFileSync('data/lexicon/requests.yaml', 'utf8') };
const topics = { path: 'data/lexicon/topics.yaml', text: readFileSync('data/lexicon/topics.yaml', 'utf8') };
const files = { industries, facts, requests, topics };

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LexiconError);
    return (error as Error).message;
  }
  throw new Error('expected a LexiconError');
}

describe('lexicon loading', () => {
  it('loads and validates the shipped files', () => {
    const lexicon = loadLexicon();
    expect(lexicon.industries.concepts.length).toBeGreaterThan(40);
    expect(Object.keys(lexicon.facts.facts)).toContain('sells_tobacco');
  });

  it('reports a bad id as one line naming the file and the path', () => {
    const text = industries.text.replace('fallbacks: [supermarket]', 'fallbacks: [Supermarket]');
    const message = errorOf(() => parseLexicon({ ...files, industries: { ...industries, text } }));
    expect(message).toMatch(/^data\/lexicon\/industries\.yaml: concepts\.0\.fallbacks\.0: must be a lower-case id/);
    expect(message).not.toContain('\n');
  });

  it('reports an unknown fallback industry', () => {
    const text = industries.text.replace('fallbacks: [supermarket]', 'fallbacks: [department_store]');
    expect(errorOf(() => parseLexicon({ ...files, industries: { ...industries, text } }))).toBe(
      'data/lexicon/industries.yaml: concepts.0.fallbacks.0: unknown industry department_store',
    );
  });

  it('reports an invalid regular expression and a choice value outside the precedence', () => {
    const badRegex = facts.text.replace("regex: ['卖(?:点|些|一些|一点)(?:香烟", "regex: ['(卖(?:点|些|一些|一点)(?:香烟");
    expect(errorOf(() => parseLexicon({ ...files, facts: { ...facts, text: badRegex } }))).toMatch(
      /^data\/lexicon\/facts\.yaml: facts\.sells_tobacco\.patterns\.1\.regex\.0: is not a valid regular expression/,
    );
    const badChoice = facts.text.replace('value: prepackaged_only', 'value: packaged');
    expect(errorOf(() => parseLexicon({ ...files, facts: { ...facts, text: badChoice } }))).toMatch(
      /^data\/lexicon\/facts\.yaml: facts\.food_scope\.patterns\.\d: value packaged is not in precedence$/,
    );
  });

  it('reports an unknown request kind and a topic noun of an unknown fact', () => {
    const badKind = requests.text.replace('- id: post', '- id: postage');
    expect(errorOf(() => parseLexicon({ ...files, requests: { ...requests, text: badKind } }))).toMatch(/^data\/lexicon\/requests\.yaml: requests\.\d+\.id: /);
    const badNoun = facts.text.replace('fact: sells_medicine, value: true }', 'fact: sells_drugs, value: true }');
    expect(errorOf(() => parseLexicon({ ...files, facts: { ...facts, text: badNoun } }))).toMatch(/^data\/lexicon\/facts\.yaml: topics\.nouns\.1\.fact: unknown fact sells_drugs$/);
  });

  it('reports broken YAML and a missing file', () => {
    expect(errorOf(() => parseLexicon({ ...files, industries: { ...industries, text: 'concepts: [' } }))).toMatch(
      /^data\/lexicon\/industries\.yaml: not valid YAML: /,
    );
    expect(errorOf(() => loadLexicon('/nonexistent'))).toMatch(/^\/nonexistent\/industries\.yaml: cannot be read/);
  });
});
