/**
 * `npm start`: read the config, load and check the catalogs (refusing to start on a bad one), open the
 * database (migrating it), and serve HTTP until SIGINT or SIGTERM.
 */
import { createCore } from './app/core.ts';
import { CatalogError } from './catalog/errors.ts';
import { ConfigError, loadConfig } from './config.ts';
import { buildApp } from './server/app.ts';
import { DatabaseUrlError } from './store/db.ts';

export async function start(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(env);
  const core = await createCore(config);
  const { catalog, db } = core;
  const app = await buildApp({
    catalog,
    understander: core.understander,
    assistant: core.assistant,
    logLevel: config.logLevel,
    ready: async () => {
      await db.prisma.conversation.count();
    },
  });
  app.addHook('onClose', async () => db.close());
  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { regions: catalog.regions.map((r) => r.id), database: db.provider, migrationsApplied: db.migrations.applied.length },
    'yiye assistant ready',
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    app.close().then(
      () => process.exit(0),
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
  if (error instanceof ConfigError || error instanceof DatabaseUrlError) return `configuration error: ${error.message}`;
  return undefined;
}
