// What `prisma migrate status` would say, asked of Prisma's own schema engine (the WASM build the
// migrations script uses), so the tests prove our runner's bookkeeping matches Prisma's.

import { readFileSync } from 'node:fs';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DiagnoseMigrationHistoryOutput } from '@prisma/schema-engine-wasm';
import {
  BASE_SCHEMA,
  migrationsDir,
  openSchemaEngine,
  renderSchema,
  type Dialect,
} from '../../scripts/make-migrations.ts';
import { readMigrations } from '../../src/store/migrations.ts';

export async function prismaMigrateStatus(
  dialect: Dialect,
  factory: SqlMigrationAwareDriverAdapterFactory,
): Promise<DiagnoseMigrationHistoryOutput> {
  const engine = await openSchemaEngine(renderSchema(dialect, readFileSync(BASE_SCHEMA, 'utf8')), factory);
  try {
    const dir = migrationsDir(dialect);
    return await engine.diagnoseMigrationHistory({
      migrationsList: {
        baseDir: dir,
        lockfile: { path: 'migration_lock.toml', content: readFileSync(`${dir}/migration_lock.toml`, 'utf8') },
        shadowDbInitScript: '',
        migrationDirectories: readMigrations(dir).map((m) => ({
          path: m.name,
          migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: m.sql } },
        })),
      },
      optInToShadowDatabase: false,
      filters: { externalTables: [], externalEnums: [] },
    });
  } finally {
    engine.free();
  }
}

export const IN_SYNC: DiagnoseMigrationHistoryOutput = {
  editedMigrationNames: [],
  failedMigrationNames: [],
  hasMigrationsTable: true,
  history: null,
};
