/**
 * `npm run bench`: chat turns through the one core (`handleMessage`), in process, on SQLite and on
 * PostgreSQL (when BENCH_DATABASE_URL or TEST_DATABASE_URL names one, or one answers on 127.0.0.1:5432).
 * Reports turns per second, p50/p99 latency, queries per turn and resident memory with 10,000 stored
 * conversations, and writes the figures into docs/performance.md between its BENCH markers.
 *
 * Options (environment): BENCH_USERS (stored conversations, default 10000), BENCH_TURNS (measured turns,
 * default 4000), BENCH_ONLY=sqlite|postgres.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { createCore, type Core } from '../src/app/core.ts';
import { loadCatalog } from '../src/catalog/load.ts';
import { createReader } from '../src/nlu/reader.ts';
import { createKnowledge } from '../src/knowledge/index.ts';
import { assess } from '../src/guidance/assess.ts';
import { buildFlowChart, flowChartPng, flowChartSvg } from '../src/guidance/flowchart.ts';
import { loadConfig, PROJECT_ROOT } from '../src/config.ts';

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const TURNS = Number(process.env.BENCH_TURNS ?? 4_000);

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
  queriesByKind: Record<string, number>;
  rssMb: number;
  heapMb: number;
  conversations: number;
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
  report(results, reading, finding);
}

async function run(provider: 'sqlite' | 'postgres', pgUrl?: string): Promise<Result> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yiye-bench-'));
  const schema = `bench_${process.pid}`;
  const databaseUrl = provider === 'sqlite' ? `file:${dir}/bench.db` : `${pgUrl}${pgUrl?.includes('?') ? '&' : '?'}schema=${schema}`;
  const config = loadConfig({ VAR_DIR: dir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' });
  const queries: string[] = [];
  let counting = false;
  const core = await createCore(config, { rateLimit: false, onQuery: (sql) => counting && queries.push(sql) });
  try {
    console.log(`${provider}: storing ${USERS} conversations…`);
    const seedStart = performance.now();
    for (let u = 0; u < USERS; u++) {
      await turn(core, `seed-${u}`, SCRIPT[0] ?? '');
      await turn(core, `seed-${u}`, SCRIPT[1] ?? '');
    }
    const seedTurnsPerSecond = (2 * USERS) / ((performance.now() - seedStart) / 1000);
    const conversations = await core.db.prisma.conversation.count();

    // Warm-up, then the measured sequential run: users walk the script, a new user every script.
    for (let i = 0; i < 200; i++) await turn(core, `warm-${Math.floor(i / SCRIPT.length)}`, SCRIPT[i % SCRIPT.length] ?? '');
    const latencies: number[] = [];
    counting = true;
    const start = performance.now();
    for (let i = 0; i < TURNS; i++) {
      const t0 = performance.now();
      await turn(core, `run-${Math.floor(i / SCRIPT.length)}`, SCRIPT[i % SCRIPT.length] ?? '');
      latencies.push(performance.now() - t0);
    }
    const elapsed = performance.now() - start;
    counting = false;

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
      queriesByKind: byKind,
      rssMb: memory.rss / 2 ** 20,
      heapMb: memory.heapUsed / 2 ** 20,
      conversations,
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

function report(results: Result[], reading: Understanding, finding: Retrieval): void {
  const f = (n: number, d = 2) => n.toFixed(d);
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version},`,
    `${USERS.toLocaleString('en')} stored conversations, ${TURNS.toLocaleString('en')} measured turns of the script in bench/run.ts (one user at a time).`,
    '',
    '| database | turns/s (1 user at a time) | turns/s (8 users at once) | p50 ms | p95 ms | p99 ms | max ms | queries/turn | RSS MB | heap MB | seeding turns/s |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.provider} | ${f(r.turnsPerSecond, 0)} | ${f(r.concurrentTurnsPerSecond, 0)} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${f(r.max, 1)} | ${f(r.queriesPerTurn, 1)} | ${f(r.rssMb, 0)} | ${f(r.heapMb, 0)} | ${f(r.seedTurnsPerSecond, 0)} |`,
    ),
    '',
    'Queries per turn by statement: ' +
      results.map((r) => `${r.provider}: ${Object.entries(r.queriesByKind).map(([k, v]) => `${k} ${f(v, 2)}`).join(', ')}`).join('; '),
    '',
    `Understanding one message (the offline reader, ${reading.messages} first messages of eval/first, 20 passes): median ${f(reading.p50, 3)} ms, p99 ${f(reading.p99, 3)} ms.`,
    '',
    `Retrieval (the knowledge index, ${finding.questions} follow-up questions of eval/knowledge, 20 passes): median ${f(finding.p50, 3)} ms, p99 ${f(finding.p99, 3)} ms; the index built in ${f(finding.buildMs, 0)} ms at start. ` +
      `One flow chart: SVG ${f(finding.chartSvgMs, 2)} ms, PNG ${finding.chartPngMs === null ? 'not drawn (no CJK font on this host)' : `${f(finding.chartPngMs, 0)} ms`}.`,
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
