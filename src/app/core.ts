/**
 * The assistant's parts, assembled once from the config: catalogs, understanding, database, the case
 * workflow and the dialogue. The server, the terminal chat and the tests all start from here.
 */
import { knowledgeFor } from '../knowledge/index.ts';
import { loadStaffFaq } from '../knowledge/staffFaq.ts';
import { loadCatalog, type Catalog } from '../catalog/load.ts';
import type { DomainDeps } from '../cases/deps.ts';
import { systemClock, type Clock } from '../kernel/clock.ts';
import { domainDeps } from './domainDeps.ts';
import type { Config } from '../config.ts';
import { createAssistant, type Assistant, type AssistantDeps } from '../dialogue/assistant.ts';
import type { AnswerWriter, ApplicationsPort } from '../dialogue/ports.ts';
import { resolveSigningSecret } from '../licence/secret.ts';
import { createReader, type OfflineReader } from '../nlu/reader.ts';
import type { Llm } from '../llm/client.ts';
import type { ConversationRepository } from '../store/conversations.ts';
import { openDatabase, type Database } from '../store/db.ts';
import { prismaStore } from '../store/store.ts';
import { lenientCounters } from '../limits/counters.ts';
import { openLimits, type Limits } from '../limits/openLimits.ts';
import { caseApplications } from './applications.ts';
import { databaseTurns } from './turns.ts';

export interface Core {
  config: Config;
  catalog: Catalog;
  reader: OfflineReader;
  /** Set when an LLM is configured (docs/llm.md). */
  llm?: Llm;
  answerer?: AnswerWriter;
  db: Database;
  conversations: ConversationRepository;
  domain: DomainDeps;
  applications: ApplicationsPort;
  assistant: Assistant;
  /** The rate limits' and locks' counters (and the Redis client behind them, when configured). */
  limits: Limits;
  close(): Promise<void>;
}

export interface CoreOptions {
  clock?: Clock;
  /** Rate limit per user; false for the terminal. */
  rateLimit?: AssistantDeps['rateLimit'];
  log?: AssistantDeps['log'];
  /** Every SQL statement (benchmarks). */
  onQuery?: (sql: string) => void;
}

export async function createCore(config: Config, options: CoreOptions = {}): Promise<Core> {
  const catalog = loadCatalog({ extraDirs: config.catalogDirs });
  const reader = createReader(catalog);
  // With a model configured, its parts (and the prompts, checked now); langchain is loaded only then.
  const parts = config.llm ? await import('../llm/index.ts') : undefined;
  const model = config.llm && parts ? parts.createLlmParts(parts.createLlm(config.llm), catalog, reader) : undefined;
  const db = await openDatabase({ url: config.databaseUrl, sqliteSynchronous: config.sqliteSynchronous, ...(options.onQuery ? { onQuery: options.onQuery } : {}) });
  // The FAQ entries staff added join their regions' FAQ; then the knowledge index (segmentation, BM25) is
  // built now, not in the first user's turn.
  await loadStaffFaq(prismaStore(db), catalog);
  knowledgeFor(catalog);
  const conversations = db.turns.conversations;
  // In memory on the domain's clock (tests move it), or in Redis, shared by every instance.
  const limits = await openLimits(config.redis, () => (options.clock ?? systemClock).now().getTime());
  const domain = domainDeps(db, {
    catalog,
    publicBaseUrl: config.publicBaseUrl,
    signingSecret: resolveSigningSecret(config.licenceSigningSecret, config.varDir).secret,
    reminders: config.reminders,
    counters: limits.counters,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const applications = caseApplications(domain);
  const assistant = createAssistant({
    catalog,
    reader: model?.reader ?? reader,
    ...(model ? { answerer: model.answerer } : {}),
    conversations,
    applications,
    turns: databaseTurns(db.turns, domain),
    ...(config.defaultRegion ? { defaultRegion: config.defaultRegion } : {}),
    rateLimit: options.rateLimit ?? config.chatRateLimit,
    counters: lenientCounters(limits.counters, (error) => options.log?.warn({ err: error instanceof Error ? error.message : String(error) }, 'chat rate limit not counted')),
    ...(options.log ? { log: options.log } : {}),
  });
  return { config, catalog, reader, ...(model ? { llm: model.llm, answerer: model.answerer } : {}), db, conversations, domain, applications, assistant, limits, close: () => Promise.all([limits.close(), db.close()]).then(() => undefined) };
}
