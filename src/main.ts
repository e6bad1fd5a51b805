/**
 * `npm start`: read the config, load and check the catalogs (refusing to start on a bad one), open the
 * database (migrating it), and serve HTTP until SIGINT or SIGTERM.
 */
import { createCore } from './app/core.ts';
import { CatalogError } from './catalog/errors.ts';
import { ConfigError, loadConfig } from './config.ts';
import { buildApp } from './server/app.ts';
import { DatabaseUrlError } from './store/db.ts';
import { ensureBootstrapAdmin } from './auth/staff.ts';
import { startOutbox } from './notify/dispatcher.ts';
import { startReminders } from './notify/reminders.ts';
import type { SenderRegistry } from './notify/senders.ts';
import { createChannels, mountTelegramWebhook } from './channels/start.ts';

/** How long a stop may take once the server has stopped taking requests. */
const SHUTDOWN_LIMIT_MS = 60_000;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function start(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env);
  let stopping = false;
  const core = await createCore(config);
  const { catalog, db, domain } = core;
  await ensureBootstrapAdmin(domain.store, domain.clock, config.adminToken);
  const app = await buildApp({
    catalog,
    reader: core.reader,
    assistant: core.assistant,
    domain,
    logLevel: config.logLevel,
    console: config.console,
    httpRateLimit: config.httpRateLimit,
    trustProxy: config.trustProxy,
    ready: async () => {
      await db.ping();
      await core.limits.ready();
    },
    draining: () => stopping,
    ...(core.limits.redis ? { redis: core.limits.redis } : {}),
    ...(core.llm ? { llm: core.llm } : {}),
    ...(core.answerer ? { answerer: core.answerer } : {}),
  });
  core.llm?.useLog(app.log);
  // Telegram and WeChat when configured; web and terminal are pull channels.
  const channels = await createChannels(core, app.log);
  mountTelegramWebhook(app, channels.telegram);
  const senders: SenderRegistry = new Map(channels.senders);
  const outbox = startOutbox({
    db,
    senders,
    clock: domain.clock,
    quietHours: config.quietHours,
    licence: domain.licence,
    onError: (err, messageId) => app.log.warn({ err, messageId }, 'outbox send failed'),
  });
  const reminders = startReminders(domain, { onError: (err) => app.log.warn({ err }, 'reminder tick failed') });
  app.addHook('onClose', async () => {
    await reminders.stop();
    await outbox.stop();
    await channels.stop();
    await core.close();
  });
  await app.listen({ port: config.port, host: config.host });
  channels.start();
  app.log.info(
    // `compiled`: running dist/ (npm install's build), not the TypeScript sources through tsx.
    { regions: catalog.regions.map((r) => r.id), database: db.provider, migrationsApplied: db.migrations.applied.length, compiled: import.meta.url.endsWith('.js') },
    'yiye assistant ready',
  );

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal, delayMs: config.shutdownDelayMs }, 'stopping: /ready answers 503; running turns finish');
    // Past this, the process exits anyway (a turn stuck on an unreachable service).
    setTimeout(() => {
      app.log.error({ afterMs: SHUTDOWN_LIMIT_MS }, 'did not stop in time; exiting');
      process.exit(1);
    }, config.shutdownDelayMs + SHUTDOWN_LIMIT_MS).unref();
    // Fastify stops listening, lets the requests in progress (web turns) finish, then runs the onClose
    // hooks: the schedulers stop, the channels drain their turns and queued sends, the database closes.
    delay(config.shutdownDelayMs).then(() => app.close()).then(
      () => {
        app.log.info({ signal }, 'stopped');
        process.exit(0);
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** Start-up failures an operator can fix get one line, not a stack trace. */
export function describeStartError(error: unknown): string | undefined {
  if (error instanceof CatalogError) return `catalog error: ${error.message}`;
  if (error instanceof Error && error.name === 'PromptError') return `prompt error: ${error.message}`;
  if (error instanceof ConfigError || error instanceof DatabaseUrlError) return `configuration error: ${error.message}`;
  return undefined;
}
