/**
 * Scripted conversations over the dialogue harness: a `chat` remembers the last turn, checks every
 * reply for things the public must never read (internal ids, stack traces, raw JSON), and can fill
 * the merged form field by field from a table of answers keyed by field id.
 */
import { expect } from 'vitest';
import { loadCatalog, type Catalog } from '../../src/catalog/load.ts';
import { initialState, type ConversationState, type TurnResult } from '../../src/dialogue/types.ts';
import type { JsonObject } from '../../src/store/conversations.ts';
import { memoryConversations, memoryUnanswered } from '../../src/store/memory.ts';
import type { UnansweredRepository, UnansweredRow } from '../../src/store/unanswered.ts';
import { harness, type Harness } from './harness.ts';

const catalog = loadCatalog();

/** Ids that only the code knows: permit, question, field, material and industry ids with an underscore. */
const INTERNAL_IDS: string[] = [
  ...catalog.registry.permits.map((p) => p.id),
  ...catalog.registry.fields.map((f) => f.id),
  ...catalog.regions.flatMap((r) => r.questions.map((q) => q.id)),
  ...catalog.regions.flatMap((r) => r.industries.map((i) => i.id)),
].filter((id, n, all) => id.includes('_') && all.indexOf(id) === n);

/** Plain-word ids that would still read as leaks in Chinese replies. */
const BARE_IDS = ['supermarket', 'restaurant', 'bookstore', 'pharmacy', 'bathhouse', 'prepackaged_only', 'undecided', 'not_needed'];

export const STAGE_IDS = ['start', 'region', 'industry', 'confirm_industry', 'questions', 'guided', 'reuse', 'form', 'confirm', 'submitted'];

/** Everything a reply must not contain. Returns the offending fragment or null. */
export function leak(text: string): string | null {
  for (const id of INTERNAL_IDS) if (text.includes(id)) return id;
  for (const id of BARE_IDS) if (new RegExp(`\\b${id}\\b`).test(text)) return id;
  const patterns: RegExp[] = [
    /\bat [\w.<>]+ \(.*:\d+:\d+\)/, // stack frame
    /\b(?:TypeError|ReferenceError|SyntaxError|Error):/,
    /\[object Object\]/,
    /\bundefined\b/,
    /\bNaN\b/,
    /\{\s*"[^"]+"\s*:/, // raw JSON
    /<script/i,
  ];
  for (const p of patterns) {
    const m = p.exec(text);
    if (m) return m[0];
  }
  return null;
}

export interface Chat {
  h: Harness;
  /** The questions the knowledge could not answer, as staff see them (this chat's own store). */
  unanswered: UnansweredRepository;
  /** The last turn. */
  last: TurnResult;
  /** Sends one message and checks its replies for leaks. */
  say(text: string, region?: string): Promise<TurnResult>;
  /** The last turn's replies joined. */
  readonly reply: string;
  readonly state: ConversationState;
}

export interface ChatOptions {
  userId?: string;
  defaultRegion?: string;
  conversations?: Harness['conversations'];
  submitted?: Harness['submitted'];
  /** Another catalog than the built-in one (a fixture region loaded beside it). */
  catalog?: Catalog;
  /**
   * Store a complete empty dialogue state before the first turn (default true, unless a store is
   * passed in). A conversation whose stored state is `{}` is read through zod `.catch({})` defaults,
   * which are one shared object: the first turn of one conversation then leaks its answers into
   * every later new conversation (see conversations.pending.test.ts). Seeding keeps each scripted
   * conversation independent of the others in the file until that is fixed.
   */
  seed?: boolean;
}

export function chat(options: ChatOptions = {}): Chat {
  const { seed = options.conversations === undefined, ...rest } = options;
  const rows: UnansweredRow[] = [];
  const conversations = rest.conversations ?? memoryConversations(rows);
  const h = harness({ ...rest, conversations });
  let seeded = !seed;
  const c: Chat = {
    h,
    unanswered: memoryUnanswered(rows),
    last: undefined as unknown as TurnResult,
    async say(text, region) {
      if (!seeded) {
        seeded = true;
        const fresh = await conversations.start({ channel: 'test', userId: rest.userId ?? 'u1' });
        await conversations.update(fresh.id, { state: JSON.parse(JSON.stringify(initialState())) as JsonObject });
      }
      const result = await h.say(text, region);
      c.last = result;
      for (const r of result.replies) {
        const found = leak(r.text);
        expect(found, `reply to «${text.slice(0, 40)}» leaks «${found}»:\n${r.text}`).toBeNull();
        expect(r.text.trim().length, `empty reply to «${text.slice(0, 40)}»`).toBeGreaterThan(0);
      }
      expect(result.replies.length).toBeGreaterThan(0);
      return result;
    },
    get reply() {
      return h.text(c.last);
    },
    get state() {
      return c.last.state;
    },
  };
  return c;
}

/** Sends each message in turn; returns the last result. */
export async function script(c: Chat, messages: string[]): Promise<TurnResult> {
  for (const m of messages) await c.say(m);
  return c.last;
}

export type Status = 'required' | 'undecided' | 'not_needed';

/** Permit statuses by the region's item name. */
export function statuses(state: ConversationState): Record<string, Status> {
  return Object.fromEntries(state.permits.map((p) => [p.name, p.status]));
}

export function department(state: ConversationState, permit: string): string | undefined {
  return state.permits.find((p) => p.name === permit)?.department;
}

/** Answers to common fields, as a person would type them. */
export const COMMON_ANSWERS: Record<string, string> = {
  entity_name: '奈曼旗大沁他拉百姓便利店',
  entity_type: '个体工商户',
  credit_code: '92150525MA00000013',
  legal_rep_name: '张桂兰',
  legal_rep_id_number: '11010519491231002X',
  contact_name: '张桂兰',
  contact_mobile: '13812345678',
  business_address: '奈曼旗大沁他拉镇民主路12号',
  business_area: '大概三百平',
  employee_count: '3个人',
  licence_delivery: '到窗口领取',
};

/**
 * Answers the pending form field from `answers` (falling back to COMMON_ANSWERS) until the form
 * reaches the summary. Fails on a field nobody planned an answer for or one that is not accepted.
 */
export async function fillForm(c: Chat, answers: Record<string, string> = {}, limit = 30): Promise<string[]> {
  const asked: string[] = [];
  const table = { ...COMMON_ANSWERS, ...answers };
  for (let n = 0; n < limit && c.state.stage === 'form'; n++) {
    const field = c.state.pendingField;
    expect(field, 'a field is pending while the form is open').not.toBeNull();
    if (!field) break;
    const value = table[field.id];
    expect(value, `no scripted answer for field ${field.id} (${field.label})`).toBeDefined();
    asked.push(field.id);
    await c.say(value ?? '');
    expect(c.state.pendingField?.id, `«${value}» was not accepted for ${field.label}:\n${c.reply}`).not.toBe(field.id);
  }
  return asked;
}

/** The reply texts of the last turn of the given kind. */
export function replyOfKind(c: Chat, kind: string): string {
  return c.last.replies
    .filter((r) => r.kind === kind)
    .map((r) => r.text)
    .join('\n');
}
