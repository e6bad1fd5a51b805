/**
 * `npm run eval`: the assistant measured where users meet it, through `handleMessage` (the real catalog,
 * reader and dialogue over an in-memory store), on two kinds of set:
 *
 * (a) first messages (`eval/first/*.yaml`): one message opening a conversation; is the trade right (or
 *     said to be outside the catalog), are the stated facts and form values taken, with no fact of the
 *     wrong polarity, and is what the message asked for answered?
 * (b) dialogues (`eval/dialogues/*.yaml`): a simulated applicant who says their own things in their own
 *     order, then answers whatever the assistant asks from a table; does the conversation end with the
 *     right trade and every permit's status right, without asking again what was already said?
 *
 * (c) follow-up questions (`eval/knowledge/*.yaml`): asked after naming a trade (or before); is the answer
 *     from the clause or the permit fact that answers it, said with its source, and is a question the
 *     documents do not answer said honestly? Confident wrong answers are counted apart.
 *
 * Sets written blind (by someone who had not read the lexicon) are reported apart, with their first-run
 * figures from eval/README.md. Always exits 0: a measurement, not a gate (the tests are the gate).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { loadCatalog } from '../src/catalog/load.ts';
import type { TurnResult } from '../src/dialogue/types.ts';
import { evalAssistant, type EvalAssistant } from './assistant.ts';
import { loadConfig } from '../src/config.ts';
import type { Llm } from '../src/llm/client.ts';
import { questionSchema, scoreKnowledge, type KnowledgeItem } from './knowledge.ts';
import { scoreSuggestions } from './suggest.ts';
import { scoreTickets, ticketItemSchema, type TicketItem } from './tickets.ts';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
// Authors write null for "none": read as absent.
const none = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const sentenceSchema = z.strictObject({
  text: z.string().min(1),
  region: z.string(),
  industry: z.string().nullable(),
  outOfCatalog: none(z.string()),
  mentions: none(z.string()),
  answers: z.record(z.string(), scalar).nullish().transform((v) => v ?? {}),
  fields: z.record(z.string(), z.union([z.string(), z.number()])).nullish().transform((v) => v ?? {}),
  asks: z.array(z.string()).nullish().transform((v) => v ?? []),
  note: none(z.string()),
});
type Sentence = z.infer<typeof sentenceSchema>;
const status = z.enum(['required', 'not_needed', 'undecided']);
const dialogueSchema = z.strictObject({
  id: z.string(),
  region: z.string(),
  note: z.string().optional(),
  turns: z.array(z.string().min(1)).min(1),
  stated: z.array(z.string()).default([]),
  replies: z.record(z.string(), z.string()).default({}),
  expect: z.strictObject({ industry: z.string(), permits: z.record(z.string(), status) }),
});
type Dialogue = z.infer<typeof dialogueSchema>;
const setHeader = z.object({ title: z.string(), blind: z.boolean().default(false), firstRun: z.string().optional() });

const catalog = loadCatalog();
const MAX_QUESTIONS = 12;

interface LoadedSet<T> {
  file: string;
  title: string;
  blind: boolean;
  firstRun?: string;
  items: T[];
}

function loadSets<T>(dir: string, schema: z.ZodType<T>): LoadedSet<T>[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const doc = parseYaml(readFileSync(join(dir, f), 'utf8')) as { set?: unknown; items?: unknown };
      const header = setHeader.parse(doc.set ?? { title: f });
      return { file: join(dir, f), title: header.title, blind: header.blind, ...(header.firstRun ? { firstRun: header.firstRun } : {}), items: z.array(schema).parse(doc.items) };
    });
}

function pct(n: number, d: number): string {
  return d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}% (${n}/${d})`;
}

// ---- (a) first messages --------------------------------------------------------------------------------

const OUTSIDE = /不在.{0,30}目录/;

async function firstMessages(set: LoadedSet<Sentence>, make: MakeAssistant): Promise<Section> {
  const assistant = make();
  let tradeOk = 0;
  let lost = 0;
  let factsExpected = 0;
  let factsTaken = 0;
  let factsExtra = 0;
  let flipped = 0;
  let asksAll = 0;
  let asksServed = 0;
  const misses: string[] = [];
  const started = performance.now();
  for (const [n, s] of set.items.entries()) {
    const result = await assistant.say(`${set.file}#${n}`, s.text, s.region);
    const state = result.state;
    const text = result.replies.map((r) => r.text).join('\n');
    const got = state.industry?.id ?? (await assistant.proposed(`${set.file}#${n}`)) ?? null;
    const outside = s.industry === null && s.outOfCatalog !== undefined;
    // Outside the catalog: said so (a nearest catalog trade may be offered to confirm, never set).
    const ok = s.industry !== null ? got === s.industry : outside ? state.industry === null && OUTSIDE.test(text) : got === null;
    if (ok) tradeOk++;
    if (s.industry !== null && got === null) lost++;
    const problems: string[] = [];
    if (!ok) problems.push(`trade: want ${s.industry ?? (outside ? `outside(${s.outOfCatalog})` : 'none')}, got ${got ?? 'none'}${got === null && OUTSIDE.test(text) ? ' (said outside)' : ''}`);

    const answers = state.answers;
    const values = await assistant.formValues(`${set.file}#${n}`);
    const regionQuestions = new Set(catalog.regions.find((r) => r.id === s.region)?.questions.map((q) => q.id) ?? []);
    const want: Record<string, string | number | boolean> = { ...Object.fromEntries(Object.entries(s.answers).filter(([k]) => regionQuestions.has(k))), ...s.fields };
    const have: Record<string, string | number | boolean> = {};
    // A figure stated only between limits is compared by how it reads (不到200平方米).
    for (const [k, v] of Object.entries(answers)) have[k] = typeof v === 'object' ? (v.said ?? JSON.stringify(v)) : v;
    for (const k of Object.keys(s.fields)) {
      const v = values[k];
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') have[k] = v;
    }
    factsExpected += Object.keys(want).length;
    for (const [k, v] of Object.entries(want)) {
      if (sameValue(v, have[k])) factsTaken++;
      else problems.push(`missed ${k}=${String(v)}${have[k] !== undefined ? ` (got ${String(have[k])})` : ''}`);
      if (typeof v === 'boolean' && typeof have[k] === 'boolean' && have[k] !== v) flipped++;
    }
    for (const [k, v] of Object.entries(answers)) {
      if (!(k in want)) {
        factsExtra++;
        problems.push(`extra ${k}=${String(v)}`);
      }
    }
    for (const kind of s.asks) {
      asksAll++;
      if (served(kind, result)) asksServed++;
      else problems.push(`asked ${kind}: not answered`);
    }
    if (problems.length) misses.push(`  [${s.region}] ${s.text}\n      ${problems.join('; ')}`);
  }
  const ms = (performance.now() - started) / set.items.length;
  return {
    title: `(a) ${set.title}: ${set.items.length} first messages (${set.file})`,
    ...(set.firstRun ? { firstRun: set.firstRun } : {}),
    rows: [
      ['Trade right (in the catalog, said outside, or none)', pct(tradeOk, set.items.length)],
      ['Trade named but lost', String(lost)],
      ['Stated facts and values taken', pct(factsTaken, factsExpected)],
      ['Extra facts; of the wrong polarity', `${factsExtra}; ${flipped}`],
      ['Requests served (permits, materials, time…)', pct(asksServed, asksAll)],
      ['Time per message through handleMessage', `${ms.toFixed(2)} ms`],
    ],
    misses,
  };
}

/** Did the turn serve what the message asked for? A rough check of the reply's content. */
function served(kind: string, result: TurnResult): boolean {
  const text = result.replies.map((r) => r.text).join('\n');
  const kinds = new Set(result.replies.map((r) => r.kind));
  if (/没有理解/.test(text)) return false;
  switch (kind) {
    case 'permits':
      // The permits, or the questions that decide them, or (outside the catalog) where to go instead.
      return kinds.has('permits') || kinds.has('question') || OUTSIDE.test(text);
    case 'materials':
      return kinds.has('notice') || /材料/.test(text) || OUTSIDE.test(text);
    case 'time':
      return /工作日|时限|当场/.test(text) || /记下/.test(text);
    case 'fees':
      return /收费|免费/.test(text) || /记下/.test(text);
    case 'where':
      return /窗口|大厅|政务服务/.test(text);
    case 'handoff':
      return kinds.has('handoff');
    default:
      return kinds.has('answer') && !/没有确切答案/.test(text);
  }
}

function sameValue(expected: string | number | boolean, got: string | number | boolean | undefined): boolean {
  if (typeof expected === 'number' && typeof got === 'number') return Math.abs(expected - got) <= Math.abs(expected) * 0.01;
  return expected === got;
}

// ---- (b) dialogues -----------------------------------------------------------------------------------

async function dialogues(set: LoadedSet<Dialogue>, make: MakeAssistant): Promise<Section> {
  const assistant = make();
  let right = 0;
  let tradeRight = 0;
  let permitsAll = 0;
  let permitsRight = 0;
  let flips = 0;
  let askedAgain = 0;
  let turns = 0;
  const misses: string[] = [];
  for (const dlg of set.items) {
    const user = `${set.file}#${dlg.id}`;
    const problems: string[] = [];
    let last: TurnResult | undefined;
    for (const text of dlg.turns) {
      last = await assistant.say(user, text, dlg.region);
      turns++;
    }
    const asked = new Set<string>();
    for (let n = 0; n < MAX_QUESTIONS && last; n++) {
      const state = last.state;
      if (state.stage === 'confirm_industry') {
        // The person answers the guess as they would: yes if it names their trade.
        const wanted = catalog.regions.find((r) => r.id === dlg.region)?.industries.find((i) => i.id === dlg.expect.industry)?.name ?? '';
        const guess = last.replies.map((r) => r.text).join('');
        last = await assistant.say(user, wanted && guess.includes(`「${wanted}」`) ? '是的' : '不是', dlg.region);
        turns++;
        continue;
      }
      const q = state.pendingQuestion;
      if (!q) break;
      if (dlg.stated.includes(q.id) || asked.has(q.id)) {
        askedAgain++;
        problems.push(`asked again: ${q.id}`);
        if (asked.has(q.id)) break;
      }
      asked.add(q.id);
      const reply = dlg.replies[q.id];
      if (reply === undefined) problems.push(`no scripted reply for ${q.id} (answered 不确定)`);
      last = await assistant.say(user, reply ?? '不确定', dlg.region);
      turns++;
    }
    const state = last?.state;
    const industryOk = state?.industry?.id === dlg.expect.industry;
    if (industryOk) tradeRight++;
    else problems.push(`trade: want ${dlg.expect.industry}, got ${state?.industry?.id ?? 'none'}`);
    const got = Object.fromEntries((state?.permits ?? []).map((p) => [p.name, p.status]));
    let allRight = industryOk;
    for (const [name, want] of Object.entries(dlg.expect.permits)) {
      permitsAll++;
      if (got[name] === want) permitsRight++;
      else {
        allRight = false;
        problems.push(`${name}: want ${want}, got ${got[name] ?? 'absent'}`);
        if ((want === 'required' && got[name] === 'not_needed') || (want === 'not_needed' && got[name] === 'required')) flips++;
      }
    }
    if (allRight && !problems.some((p) => p.startsWith('asked again'))) right++;
    if (problems.length) misses.push(`  ${dlg.id} [${dlg.region}] ${dlg.note ?? ''}\n      ${problems.join('\n      ')}`);
  }
  return {
    title: `(b) ${set.title}: ${set.items.length} dialogues (${set.file})`,
    ...(set.firstRun ? { firstRun: set.firstRun } : {}),
    rows: [
      ['Dialogues ending right (trade, every permit, nothing asked again)', pct(right, set.items.length)],
      ['Trade right at the end', pct(tradeRight, set.items.length)],
      ['Permit statuses right', pct(permitsRight, permitsAll)],
      ['Permits decided the wrong way (required ↔ not needed)', String(flips)],
      ['Questions asked again after the answer was given', String(askedAgain)],
      ['Turns', String(turns)],
    ],
    misses,
  };
}

// ---- (c) follow-up questions ---------------------------------------------------------------------------

async function knowledge(set: LoadedSet<KnowledgeItem>, make: MakeAssistant): Promise<Section> {
  const started = performance.now();
  const s = await scoreKnowledge(make(), set.file, set.items);
  return {
    title: `(c) ${set.title} (${set.file}, ${set.items.length} questions${set.blind ? ', blind' : ''})`,
    ...(set.firstRun ? { firstRun: set.firstRun } : {}),
    rows: [
      ['Answered from the right source', pct(s.right, s.answerable)],
      ['Right source first (hit@1)', pct(s.hitAt1, s.answerable)],
      ['Not in the documents, said honestly', pct(s.honest, s.none)],
      ['Confident wrong answers (a source given, not the right one)', String(s.confidentWrong)],
      ['Time per question', `${((performance.now() - started) / set.items.length).toFixed(1)} ms`],
    ],
    misses: s.misses,
  };
}

// ---- (d) suggested answers for hotline agents ------------------------------------------------------------

async function suggestions(set: LoadedSet<KnowledgeItem>, make: MakeAssistant): Promise<Section> {
  const started = performance.now();
  const model = make();
  const s = await scoreSuggestions(catalog, model.reader, set.items, model.answerer);
  return {
    title: `(d) ${set.title} (${set.file}, ${set.items.length} questions${set.blind ? ', blind' : ''})`,
    ...(set.firstRun ? { firstRun: set.firstRun } : {}),
    rows: [
      ['Right source among the suggestions (top three)', pct(s.inTop3, s.answerable)],
      ['Right source first', pct(s.first, s.answerable)],
      ['Not in the documents: no sourced suggestion', pct(s.honest, s.none)],
      ['Confident wrong (sources given, none right)', String(s.confidentWrong)],
      ['Time per question', `${((performance.now() - started) / set.items.length).toFixed(1)} ms`],
    ],
    misses: s.misses,
  };
}

/** One set's figures, with the misses of that run. */
interface Section {
  title: string;
  firstRun?: string;
  rows: [string, string][];
  misses: string[];
}

/** A fresh assistant; `channel` the person writes on (default `eval`). */
type MakeAssistant = (channel?: string) => EvalAssistant;

/** The figures of one or two runs of a set, side by side; the misses of the last run. */
// ---- (e) complaints, requests for help, suggestions ------------------------------------------------------

async function tickets(set: LoadedSet<TicketItem>, make: MakeAssistant): Promise<Section> {
  const s = await scoreTickets(set.items, make('web'), set.file);
  return {
    title: `(e) ${set.title}: ${set.items.length} conversations (${set.file})`,
    ...(set.firstRun ? { firstRun: set.firstRun } : {}),
    rows: [
      ['Conversations right (tickets, trade, what is said)', pct(s.right, set.items.length)],
      ['Tickets given exactly as wanted', pct(s.ticketsRight, set.items.length)],
      ['Tickets given that should not have been', String(s.extraTickets)],
      ['Tickets wanted but not given', String(s.missedTickets)],
      ['Turns', String(s.turns)],
    ],
    misses: s.misses,
  };
}

function print(runs: Section[], labels: string[]): void {
  const [first] = runs;
  if (!first) return;
  console.log(`\n=== ${first.title}`);
  if (first.firstRun) console.log(`First run (blind): ${first.firstRun}`);
  const width = Math.max(...first.rows.map(([label]) => label.length)) + 2;
  if (runs.length > 1) console.log(`${''.padEnd(width)}${labels.map((l) => l.padEnd(22)).join('')}`);
  for (const [i, [label]] of first.rows.entries()) console.log(`${`${label}:`.padEnd(width)}${runs.map((r) => (r.rows[i]?.[1] ?? '').padEnd(22)).join('')}`);
  const last = runs.at(-1);
  if (last?.misses.length) console.log(`Misses${runs.length > 1 ? ` (${labels.at(-1)})` : ''} (${last.misses.length}):\n${last.misses.join('\n')}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const withLlm = args.includes('--llm');
  const only = args.find((a) => !a.startsWith('--'));
  const makers: MakeAssistant[] = [(channel) => evalAssistant(catalog, channel ? { channel } : {})];
  const labels = ['offline'];
  let llm: Llm | undefined;
  if (withLlm) {
    const config = loadConfig(process.env).llm;
    if (!config) {
      console.error('npm run eval -- --llm: set OPENAI_BASE_URL (or OPENAI_API_KEY) and OPENAI_MODEL to the model to measure (docs/llm.md).');
      process.exitCode = 2;
      return;
    }
    // langchain is loaded only for this run.
    const { createLlm, createLlmParts } = await import('../src/llm/index.ts');
    // The whole run is measured with the model: no daily budget cuts it short.
    const model = createLlm({ ...config, dailyTokens: 0 });
    llm = model;
    makers.push((channel) => evalAssistant(catalog, { withModel: (offline) => createLlmParts(model, catalog, offline), ...(channel ? { channel } : {}) }));
    labels.push(`LLM ${config.model}`.slice(0, 21));
  }
  console.log(`Evaluation through handleMessage (${withLlm ? 'offline, then with the configured LLM' : 'offline reader'}, in-memory store). Blind sets first-run figures: eval/README.md.`);
  for (const blind of [false, true]) {
    console.log(`\n##### ${blind ? 'Blind sets (written without reading the lexicon)' : 'Sets written alongside the lexicon or tuned against'}`);
    const pick = <T>(sets: LoadedSet<T>[]) => sets.filter((s) => s.blind === blind && (!only || s.file.includes(only)));
    for (const set of pick(loadSets('eval/first', sentenceSchema))) print(await runAll(makers, (make) => firstMessages(set, make)), labels);
    for (const set of pick(loadSets('eval/dialogues', dialogueSchema))) print(await runAll(makers, (make) => dialogues(set, make)), labels);
    for (const set of pick(loadSets('eval/knowledge', questionSchema))) print(await runAll(makers, (make) => knowledge(set, make)), labels);
    for (const set of pick(loadSets('eval/suggest', questionSchema))) print(await runAll(makers, (make) => suggestions(set, make)), labels);
    for (const set of pick(loadSets('eval/tickets', ticketItemSchema))) print(await runAll(makers, (make) => tickets(set, make)), labels);
  }
  if (llm) {
    const health = await llm.health();
    console.log(`\nLLM calls: ${health.calls.ok} ok, ${health.calls.failed} failed, ${health.calls.skipped} skipped (busy or over the budget); ${health.tokensToday} tokens; structured output by ${health.structuredOutput}.`);
  }
}

async function runAll(makers: MakeAssistant[], run: (make: MakeAssistant) => Promise<Section>): Promise<Section[]> {
  const out: Section[] = [];
  for (const make of makers) out.push(await run(make));
  return out;
}

await main();
