/**
 * `npm run bench`: everything the performance goals name, in one run, each figure beside the machine's
 * load average (a shared machine: compare the figures of one run with each other):
 * - chat turns through the one core (`handleMessage`), in process, on SQLite and on PostgreSQL (when
 *   BENCH_DATABASE_URL or TEST_DATABASE_URL names one, or one answers on 127.0.0.1:5432): turns per
 *   second, p50/p99, statements per turn, and the raw-driver floor (the same turns' reads and writes
 *   alone, replayed on the driver) as a ratio;
 * - chat requests per second over HTTP (`POST /api/chat`) at 10, 50 and 200 connections, autocannon
 *   against the server `npm start` runs, on a SQLite file holding 100,000 conversations, and that
 *   server's resident memory;
 * - understanding one message and retrieval, alone.
 * It writes the figures into docs/performance.md between its BENCH markers.
 *
 * Options (environment): BENCH_USERS (stored conversations for the in-process runs, default 10000),
 * BENCH_TURNS (measured turns, default 4000), BENCH_ONLY=sqlite|postgres, BENCH_HTTP_CONVERSATIONS
 * (default 100000), BENCH_HTTP_SECONDS (per connection count, default 10), BENCH_HTTP=off.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { createCore, type Core } from '../src/app/core.ts';
import { loadCatalog } from '../src/catalog/load.ts';
import { createReader } from '../src/nlu/reader.ts';
import { createKnowledge } from '../src/knowledge/index.ts';
import { assess } from '../src/guidance/assess.ts';
import { buildFlowChart, flowChartPng, flowChartSvg } from '../src/guidance/flowchart.ts';
import { loadConfig, PROJECT_ROOT } from '../src/config.ts';
import { openDatabase } from '../src/store/db.ts';
import type { HeldTurn, TurnDatabase, TurnWrite } from '../src/store/turnStore.ts';

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const TURNS = Number(process.env.BENCH_TURNS ?? 4_000);
const HTTP_CONVERSATIONS = Number(process.env.BENCH_HTTP_CONVERSATIONS ?? 100_000);
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const HTTP_CONNECTIONS = [10, 50, 200];

/** The 1-minute load average now: the machine's other work beside each figure. */
const load = () => os.loadavg()[0] ?? 0;

/** A realistic mix: stating the trade, answering, asking about the notice and the law, filling the form. */
const SCRIPT = [
  '我想在大沁他拉开个小卖部，也卖烟',
  '不卖药',
  '告知单',
  '健康证要几个人的',
  '食品经营许可要多久',
  '填表',
  '老王便利店',
  '个体工商户',
  '92150525MA00000013',
  '王五',
  '11010519491231002X',
  '王五',
  '13912345678',
  '奈曼旗大沁他拉镇团结路12号',
  '大概六十平',
  '2',
];

interface Result {
  provider: string;
  seedTurnsPerSecond: number;
  turnsPerSecond: number;
  concurrentTurnsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  queriesPerTurn: number;
  /** Calls to the database: the turn's read, its write batch, and any statement beside them (mean). */
  callsPerTurn: number;
  /** The same for the median turn: a steady-state turn. */
  steadyCalls: number;
  queriesByKind: Record<string, number>;
  /** The same turns' reads and writes alone, on the raw driver: per second, and a turn's time over the floor's. */
  floorTurnsPerSecond: number;
  floorRatio: number;
  rssMb: number;
  heapMb: number;
  conversations: number;
  load: number;
}

interface Understanding {
  messages: number;
  p50: number;
  p99: number;
}

/**
 * Reading one message (the offline reader: region, trade, facts, quantities, requests, topic), over the
 * first messages of eval/first/*.yaml in their regions, 20 passes after a warm-up.
 */
function understanding(): Understanding {
  const catalog = loadCatalog();
  const reader = createReader(catalog);
  const items = readdirSync(path.join(PROJECT_ROOT, 'eval', 'first'))
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => (parseYaml(readFileSync(path.join(PROJECT_ROOT, 'eval', 'first', f), 'utf8')) as { items: { text: string; region: string }[] }).items);
  for (const m of items) reader.read(m.text, { regionId: m.region });
  const times: number[] = [];
  for (let pass = 0; pass < 20; pass++) {
    for (const m of items) {
      const t0 = performance.now();
      reader.read(m.text, { regionId: m.region });
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? 0;
  const result = { messages: items.length, p50: at(50), p99: at(99) };
  console.log(`understanding: ${JSON.stringify(result)}`);
  return result;
}

interface Retrieval {
  questions: number;
  buildMs: number;
  p50: number;
  p99: number;
  chartSvgMs: number;
  chartPngMs: number | null;
}

/**
 * Retrieval alone (`Knowledge.search`, with the reading's topic and kinds as the dialogue passes them),
 * over the follow-up questions of eval/knowledge/*.yaml in their regions, 20 passes after a warm-up; the
 * index's build once per catalog; and drawing one flow chart (SVG for the web, PNG for the channels).
 */
function retrieval(): Retrieval {
  const catalog = loadCatalog();
  const reader = createReader(catalog);
  const started = performance.now();
  const knowledge = createKnowledge(catalog);
  const buildMs = performance.now() - started;
  const dir = path.join(PROJECT_ROOT, 'eval', 'knowledge');
  const items = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => (parseYaml(readFileSync(path.join(dir, f), 'utf8')) as { items: { ask: string; region: string }[] }).items)
    .map((m) => {
      const r = reader.read(m.ask, { regionId: m.region });
      return { text: m.ask, region: m.region, permits: r.topic.permits, materials: r.topic.materials, kinds: r.requests.map((q) => q.kind) };
    });
  for (const q of items) knowledge.search(q);
  const times: number[] = [];
  for (let pass = 0; pass < 20; pass++) {
    for (const q of items) {
      const t0 = performance.now();
      knowledge.search(q);
      times.push(performance.now() - t0);
    }
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? 0;
  const region = catalog.regions.find((r) => r.id === 'naiman');
  const hotel = region?.industries.find((i) => i.id === 'hotel');
  const chart = region && hotel ? buildFlowChart(catalog, assess(catalog, region, hotel, { food_scope: 'catering', public_gathering: true, high_risk_sport: false, discharges_sewage: true, eia_sensitive_area: false, boiler: 'none' })) : null;
  let chartSvgMs = 0;
  let chartPngMs: number | null = null;
  if (chart) {
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) flowChartSvg(chart);
    chartSvgMs = (performance.now() - t0) / 50;
    flowChartPng(chart);
    const t1 = performance.now();
    const png = flowChartPng(chart);
    chartPngMs = png ? performance.now() - t1 : null;
  }
  const result = { questions: items.length, buildMs, p50: at(50), p99: at(99), chartSvgMs, chartPngMs };
  console.log(`retrieval: ${JSON.stringify(result)}`);
  return result;
}

interface HttpLevel {
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Answers other than 200, connection errors and timeouts. */
  failed: number;
  load: number;
}

interface Http {
  conversations: number;
  compiled: boolean;
  levels: HttpLevel[];
  /** The server's resident memory after the load, and its peak. */
  rssMb: number;
  peakRssMb: number;
}

/**
 * `POST /api/chat` against the server `npm start` runs (`node bin/server.js`, the compiled code), on a
 * SQLite file holding HTTP_CONVERSATIONS conversations: each connection is one user walking the script,
 * then another; 10, 50 and 200 connections, HTTP_SECONDS each after a warm-up; the limits off.
 */
async function http(): Promise<Http> {
  const compiled = ensureBuilt();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yiye-bench-http-'));
  const file = path.join(dir, 'http.db');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', VAR_DIR: dir, DATABASE_URL: `file:${file}`, LOG_LEVEL: 'warn', HTTP_RATE_LIMIT: 'off', CHAT_RATE_LIMIT: 'off' };
  delete env.DEFAULT_REGION;
  // `npm start` itself, with its V8 settings; the server is the node process it starts.
  const npm = spawn('npm', ['start', '--silent'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitForHealth(base, npm);
    const pid = serverPid(npm.pid ?? 0);
    // One real conversation, then HTTP_CONVERSATIONS copies of it: a table of realistic size.
    for (const text of SCRIPT.slice(0, 2)) await chat(base, 'bench-template', text);
    seedCopies(file, HTTP_CONVERSATIONS);
    const levels: HttpLevel[] = [];
    for (const connections of HTTP_CONNECTIONS) {
      await cannon(base, connections, 2);
      const result = await cannon(base, connections, HTTP_SECONDS);
      const level = {
        connections,
        requestsPerSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        failed: result.non2xx + result.errors + result.timeouts,
        load: load(),
      };
      console.log(`http: ${JSON.stringify(level)}`);
      levels.push(level);
    }
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { conversations: HTTP_CONVERSATIONS, compiled, levels, rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } finally {
    const pid = npm.exitCode === null ? serverPid(npm.pid ?? 0) : 0;
    if (pid) process.kill(pid, 'SIGTERM');
    if (npm.exitCode === null) await new Promise((resolve) => npm.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The node process `npm start` (pid) runs: its descendant whose command is node's (npm, then a shell, then node). */
function serverPid(pid: number): number {
  const children = (p: number): number[] => {
    try {
      return readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const queue = children(pid);
  while (queue.length) {
    const next = queue.shift() ?? 0;
    if (readFileSync(`/proc/${next}/cmdline`, 'utf8').includes('bin/server.js') && readFileSync(`/proc/${next}/comm`, 'utf8').trim() === 'node') return next;
    queue.push(...children(next));
  }
  throw new Error('npm start runs no node process');
}

/** Builds dist/ when it is missing or older than src/ (what `npm install` does), so the server runs compiled code. */
function ensureBuilt(): boolean {
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs)));
  const marker = path.join(PROJECT_ROOT, 'dist', '.built');
  if (!existsSync(marker) || statSync(marker).mtimeMs < newest(path.join(PROJECT_ROOT, 'src'))) {
    console.log('http: building dist/ (npm run build)…');
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  }
  return existsSync(marker);
}

function cannon(base: string, connections: number, seconds: number): Promise<autocannon.Result> {
  let users = 0;
  return autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/chat',
        headers: { 'content-type': 'application/json' },
        // Per connection: one user at a time walks the script (its turns in order), then the next user.
        setupRequest: (request, context: { step?: number; user?: string }) => {
          const step = context.step ?? 0;
          if (step % SCRIPT.length === 0) context.user = `http-${connections}-${(users += 1)}`;
          context.step = step + 1;
          return { ...request, body: JSON.stringify({ userId: context.user, text: SCRIPT[step % SCRIPT.length] }) };
        },
      },
    ],
  });
}

async function chat(base: string, userId: string, text: string): Promise<void> {
  const response = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, text }) });
  if (!response.ok) throw new Error(`chat answered ${response.status}`);
}

/** Copies the template user's conversation and messages `count` times, in one transaction. */
function seedCopies(file: string, count: number): void {
  const db = new BetterSqlite3(file, { timeout: 10_000 });
  try {
    db.transaction(() => {
      const numbers = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)';
      db.prepare(`${numbers} INSERT INTO "ChannelUser" ("id", "channel", "externalId", "createdAt") SELECT 'seed-u-' || i, 'web', 'seed-' || i, "createdAt" FROM n, "ChannelUser" WHERE "externalId" = 'bench-template'`).run(count);
      db.prepare(
        `${numbers} INSERT INTO "Conversation" ("id", "channel", "userId", "region", "industry", "stage", "state", "handoff", "createdAt", "updatedAt", "version")
         SELECT 'seed-c-' || i, 'web', 'seed-' || i, "region", "industry", "stage", "state", "handoff", "createdAt", "updatedAt", "version" FROM n, "Conversation" WHERE "userId" = 'bench-template'`,
      ).run(count);
      db.prepare(
        `${numbers} INSERT INTO "Message" ("conversationId", "direction", "text", "createdAt")
         SELECT 'seed-c-' || i, m."direction", m."text", m."createdAt" FROM n, "Message" m JOIN "Conversation" c ON c."id" = m."conversationId" WHERE c."userId" = 'bench-template'`,
      ).run(count);
    })();
  } finally {
    db.close();
  }
}

async function waitForHealth(base: string, server: ReturnType<typeof spawn>): Promise<void> {
  // `server`: npm, which exits when the server does.
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not answer /health within 60 s');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function main(): Promise<void> {
  const results: Result[] = [];
  const only = process.env.BENCH_ONLY;
  const reading = understanding();
  const finding = retrieval();
  if (only !== 'postgres') results.push(await run('sqlite'));
  if (only !== 'sqlite') {
    const url = await postgresUrl();
    if (url) results.push(await run('postgres', url));
    else console.log('PostgreSQL: none reachable, skipped (set BENCH_DATABASE_URL)');
  }
  const overHttp = process.env.BENCH_HTTP === 'off' ? null : await http();
  report(results, reading, finding, overHttp);
}

async function run(provider: 'sqlite' | 'postgres', pgUrl?: string): Promise<Result> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yiye-bench-'));
  const schema = `bench_${process.pid}`;
  const databaseUrl = provider === 'sqlite' ? `file:${dir}/bench.db` : `${pgUrl}${pgUrl?.includes('?') ? '&' : '?'}schema=${schema}`;
  const config = loadConfig({ VAR_DIR: dir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
  const queries: string[] = [];
  let counting = false;
  // Statements inside one call of the turn store (its read, or its write batch) make one call; any other is one each.
  const calls = { inside: false, count: 0 };
  const core = await createCore(config, {
    rateLimit: false,
    onQuery: (sql) => {
      if (!counting) return;
      queries.push(sql);
      if (!calls.inside) calls.count += 1;
    },
  });
  try {
    console.log(`${provider}: storing ${USERS} conversations…`);
    const seedStart = performance.now();
    for (let u = 0; u < USERS; u++) {
      await turn(core, `seed-${u}`, SCRIPT[0] ?? '');
      await turn(core, `seed-${u}`, SCRIPT[1] ?? '');
    }
    const seedTurnsPerSecond = (2 * USERS) / ((performance.now() - seedStart) / 1000);
    const conversations = await core.db.prisma.conversation.count();
    const writes = captureWrites(core.db.turns, calls);

    // Warm-up, then the measured sequential run: users walk the script, a new user every script.
    for (let i = 0; i < 200; i++) await turn(core, `warm-${Math.floor(i / SCRIPT.length)}`, SCRIPT[i % SCRIPT.length] ?? '');
    const latencies: number[] = [];
    counting = true;
    calls.count = 0;
    writes.length = 0;
    const start = performance.now();
    const callsEach: number[] = [];
    for (let i = 0; i < TURNS; i++) {
      const t0 = performance.now();
      const before = calls.count;
      await turn(core, `run-${Math.floor(i / SCRIPT.length)}`, SCRIPT[i % SCRIPT.length] ?? '');
      latencies.push(performance.now() - t0);
      callsEach.push(calls.count - before);
    }
    const elapsed = performance.now() - start;
    counting = false;
    const measuredCalls = calls.count;
    const measuredLoad = load();
    const floorTurnsPerSecond = await floor(core.db.turns, writes.splice(0));

    // Eight users at once: the per-user queue keeps each conversation in order; different users overlap.
    const concurrentStart = performance.now();
    const perUser = Math.floor(TURNS / 8);
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < perUser; i++) await turn(core, `conc-${w}-${Math.floor(i / SCRIPT.length)}`, SCRIPT[i % SCRIPT.length] ?? '');
      }),
    );
    const concurrentTurnsPerSecond = (8 * perUser) / ((performance.now() - concurrentStart) / 1000);

    globalThis.gc?.();
    const memory = process.memoryUsage();
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
    const byKind: Record<string, number> = {};
    for (const q of queries) {
      const kind = /^\s*(\w+)/.exec(q)?.[1]?.toUpperCase() ?? 'OTHER';
      byKind[kind] = (byKind[kind] ?? 0) + 1 / TURNS;
    }
    const result: Result = {
      provider,
      seedTurnsPerSecond,
      turnsPerSecond: TURNS / (elapsed / 1000),
      concurrentTurnsPerSecond,
      p50: pct(50),
      p95: pct(95),
      p99: pct(99),
      max: latencies.at(-1) ?? 0,
      queriesPerTurn: queries.length / TURNS,
      callsPerTurn: measuredCalls / TURNS,
      // A user's first turn also starts the conversation; the form's first turn reads the earlier application.
      steadyCalls: [...callsEach].sort((x, y) => x - y)[callsEach.length >> 1] ?? 0,
      queriesByKind: byKind,
      floorTurnsPerSecond,
      floorRatio: floorTurnsPerSecond / (TURNS / (elapsed / 1000)),
      rssMb: memory.rss / 2 ** 20,
      heapMb: memory.heapUsed / 2 ** 20,
      conversations,
      load: measuredLoad,
    };
    console.log(JSON.stringify(result, null, 2));
    return result;
  } finally {
    await core.close();
    if (provider === 'postgres' && pgUrl) {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Keeps every turn's write as the store received it (the floor replays them). */
function captureWrites(turns: TurnDatabase, calls: { inside: boolean; count: number }): { user: { channel: string; userId: string }; write: TurnWrite }[] {
  const writes: { user: { channel: string; userId: string }; write: TurnWrite }[] = [];
  const run = turns.run.bind(turns);
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    calls.count += 1;
    calls.inside = true;
    try {
      return await fn();
    } finally {
      calls.inside = false;
    }
  };
  turns.run = (user, fn) =>
    run(user, (held) =>
      fn({
        open: (request) => call(() => held.open(request)),
        save: (write, at) => (writes.push({ user, write }), call(() => held.save(write, at))),
      }),
    );
  return writes;
}

/**
 * The raw-driver floor: the measured turns' reads and writes alone (the same statements, the same state
 * and messages), one user at a time, on conversations of their own; turns per second.
 */
async function floor(turns: TurnDatabase, writes: { user: { channel: string; userId: string }; write: TurnWrite }[]): Promise<number> {
  const ids = new Map<string, string>();
  for (const { user } of writes) {
    const key = `floor-${user.userId}`;
    if (!ids.has(key)) ids.set(key, (await turns.conversations.start({ channel: user.channel, userId: key })).id);
  }
  const started = performance.now();
  for (const { user, write } of writes) {
    const owner = { channel: user.channel, userId: `floor-${user.userId}` };
    await turns.run(owner, async (held: HeldTurn) => {
      const { conversation } = await held.open({ now: new Date() });
      await held.save({ ...write, conversationId: ids.get(owner.userId) ?? '', expectedVersion: conversation?.version ?? 0 }, new Date());
    });
  }
  return writes.length / ((performance.now() - started) / 1000);
}

async function turn(core: Core, userId: string, text: string): Promise<void> {
  await core.assistant.handleMessage({ channel: 'bench', userId, text });
}

async function postgresUrl(): Promise<string | undefined> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch {
    return undefined;
  }
}

function report(results: Result[], reading: Understanding, finding: Retrieval, overHttp: Http | null): void {
  const f = (n: number, d = 2) => n.toFixed(d);
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  const sqlite = results.find((r) => r.provider === 'sqlite');
  const level = (c: number) => overHttp?.levels.find((l) => l.connections === c);
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}. ` +
      `In process: ${USERS.toLocaleString('en')} stored conversations, ${TURNS.toLocaleString('en')} measured turns of the script in bench/run.ts. ` +
      (overHttp ? `Over HTTP: ${overHttp.conversations.toLocaleString('en')} stored conversations, ${HTTP_SECONDS} s per level, ${overHttp.compiled ? 'compiled code (dist/)' : 'the sources through tsx'}.` : 'Over HTTP: not run.'),
    '',
    '| in process | turns/s (1 user at a time) | turns/s (8 users at once) | p50 ms | p95 ms | p99 ms | max ms | database calls/turn (median, mean) | statements/turn | raw floor turns/s | turn ÷ floor | RSS MB | heap MB | load |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.provider} | ${f(r.turnsPerSecond, 0)} | ${f(r.concurrentTurnsPerSecond, 0)} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${f(r.max, 1)} | ${r.steadyCalls}, ${f(r.callsPerTurn, 2)} | ${f(r.queriesPerTurn, 1)} | ${f(r.floorTurnsPerSecond, 0)} | ${f(r.floorRatio, 1)}× | ${f(r.rssMb, 0)} | ${f(r.heapMb, 0)} | ${f(r.load)} |`,
    ),
    '',
    'Statements per turn by kind: ' + results.map((r) => `${r.provider}: ${Object.entries(r.queriesByKind).map(([k, v]) => `${k} ${f(v, 2)}`).join(', ')}`).join('; '),
    '',
    ...(overHttp
      ? [
          '| over HTTP (`POST /api/chat`) | requests/s | p50 ms | p99 ms | failed | load |',
          '| --- | --- | --- | --- | --- | --- |',
          ...overHttp.levels.map((l) => `| ${l.connections} connections | ${f(l.requestsPerSecond, 0)} | ${f(l.p50, 1)} | ${f(l.p99, 1)} | ${l.failed} | ${f(l.load)} |`),
          '',
          `The server's resident memory after the load: ${f(overHttp.rssMb, 0)} MB (peak ${f(overHttp.peakRssMb, 0)} MB).`,
          '',
        ]
      : []),
    `Understanding one message (the offline reader, ${reading.messages} first messages of eval/first, 20 passes): median ${f(reading.p50, 3)} ms, p99 ${f(reading.p99, 3)} ms.`,
    '',
    `Retrieval (the knowledge index, ${finding.questions} follow-up questions of eval/knowledge, 20 passes): median ${f(finding.p50, 3)} ms, p99 ${f(finding.p99, 3)} ms; the index built in ${f(finding.buildMs, 0)} ms at start. ` +
      `One flow chart: SVG ${f(finding.chartSvgMs, 2)} ms, PNG ${finding.chartPngMs === null ? 'not drawn (no CJK font on this host)' : `${f(finding.chartPngMs, 0)} ms`}.`,
    '',
    '| goal (issue 14) | this run |',
    '| --- | --- |',
    ...(sqlite
      ? [
          `| ≥ 2,000 turns/s in process on SQLite | ${f(sqlite.turnsPerSecond, 0)}: ${met(sqlite.turnsPerSecond >= 2000)} |`,
          `| p99 ≤ 5 ms in process on SQLite | ${f(sqlite.p99)} ms: ${met(sqlite.p99 <= 5)} |`,
          `| a turn ≤ 2× the raw floor | ${f(sqlite.floorRatio, 1)}×: ${met(sqlite.floorRatio <= 2)} |`,
        ]
      : []),
    ...results.map(
      (r) =>
        `| one read and one write batch per steady-state turn (${r.provider}) | ${r.steadyCalls} database calls the median turn, ${f(r.callsPerTurn, 2)} on average with the conversations' starts (${f(r.queriesPerTurn, 1)} statements a turn${r.provider === 'sqlite' ? '; the write batch BEGIN…COMMIT is one call' : ''}): ${met(r.steadyCalls <= 2)} |`,
    ),
    ...(overHttp
      ? [
          `| ≥ 1,500 chat requests/s over HTTP, p99 ≤ 20 ms (50 connections) | ${f(level(50)?.requestsPerSecond ?? 0, 0)}/s, p99 ${f(level(50)?.p99 ?? 0, 1)} ms: ${met((level(50)?.requestsPerSecond ?? 0) >= 1500 && (level(50)?.p99 ?? Infinity) <= 20)} |`,
          `| RSS ≤ 150 MB with ${overHttp.conversations.toLocaleString('en')} conversations | ${f(overHttp.rssMb, 0)} MB: ${met(overHttp.rssMb <= 150)} |`,
        ]
      : []),
    `| understanding ≤ 0.1 ms median | ${f(reading.p50, 3)} ms: ${met(reading.p50 <= 0.1)} |`,
  ];
  const file = path.join(PROJECT_ROOT, 'docs', 'performance.md');
  const doc = readFileSync(file, 'utf8');
  const begin = '<!-- BENCH:BEGIN -->';
  const end = '<!-- BENCH:END -->';
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i < 0 || j < 0) throw new Error('docs/performance.md lacks the BENCH markers');
  writeFileSync(file, `${doc.slice(0, i + begin.length)}\n${lines.join('\n')}\n${doc.slice(j)}`);
  console.log(`\n${lines.join('\n')}\n\nwritten to docs/performance.md`);
}

await main();
