#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded on these machines
# (prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY here). `prisma generate` only needs the
# file to exist; a command that would really run the engine (migrate, db push, db pull) stops
# here with a pointer to our own tooling instead of silently doing nothing. One line: the CLI
# shows it when it fails to parse it as the engine's JSON-RPC answer on stdout.
echo "No native Prisma schema engine here: make migrations with 'npm run db:migrations -- <name>' (the app applies them at start), or set PRISMA_SCHEMA_ENGINE_BINARY to a real engine."
exit 1
