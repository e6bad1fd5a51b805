// Prisma CLI configuration. `prisma generate` is run per dialect with `--schema` (see package.json
// postinstall); this file only makes the CLI work without Prisma's binary host.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

// The CLI downloads a native schema engine before any command unless this variable names an
// existing file. Generating the client does not need that engine (the client runs Prisma's WASM
// query compiler), so point it at a stub that fails loudly if a migrate command tries to use it.
// Migrations are made by `npm run db:migrations` with the WASM schema engine instead.
// `??=` so that a real engine named in the shell still wins.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL('./prisma/no-schema-engine.sh', import.meta.url));

export default defineConfig({
  // Pick the dialect with --schema prisma/<sqlite|postgres>/schema.prisma; migrations sit beside it.
  schema: 'prisma/sqlite/schema.prisma',
  // Only Prisma's migrate/db commands read this, and only with a real schema engine (see above).
  datasource: { url: process.env['DATABASE_URL'] ?? 'file:./var/yiye.db' },
});
