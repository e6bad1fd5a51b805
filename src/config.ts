/**
 * The environment, read once at start into one typed, validated config. Nothing else reads
 * `process.env`; the core receives options.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: optionalText,
  CATALOG_DIR: optionalText,
  DEFAULT_REGION: optionalText,
  PUBLIC_BASE_URL: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  /** `file:` URL for SQLite (the embedded default) or a `postgresql://` URL. */
  databaseUrl: string;
  catalogDirs: string[];
  defaultRegion?: string;
  publicBaseUrl: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
}

/** A setting that cannot be used; the message names it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid setting ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  const databaseUrl = e.DATABASE_URL ?? `file:${path.join(PROJECT_ROOT, 'var', 'yiye.db')}`;
  if (!/^(file:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError('invalid setting DATABASE_URL: use a file: URL (SQLite) or a postgresql:// URL');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl,
    catalogDirs: e.CATALOG_DIR ? [path.resolve(e.CATALOG_DIR)] : [],
    ...(e.DEFAULT_REGION ? { defaultRegion: e.DEFAULT_REGION } : {}),
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
  };
}
