#!/usr/bin/env node
// `npm start`: the compiled code in dist/ (built by `npm install`'s postinstall, or `npm run build`) when it
// is newer than every source file, else the TypeScript sources through tsx's loader (a checkout edited
// since its last build), which costs about 35 MB and a slower start (docs/deployment.md).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/.built`;

/** The newest modification time of a file under dir. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = `${dir}/${entry.name}`;
    latest = Math.max(latest, entry.isDirectory() ? newest(file) : statSync(file).mtimeMs);
  }
  return latest;
}

let entry;
if (existsSync(built) && statSync(built).mtimeMs >= newest(`${root}src`)) {
  entry = await import('../dist/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  entry = await import('../src/main.ts');
}
const { start, describeStartError } = entry;
try {
  await start();
} catch (error) {
  const line = describeStartError(error);
  if (!line) throw error;
  process.stderr.write(`yiye: ${line}\n`);
  process.exit(1);
}
