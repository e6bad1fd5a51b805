#!/usr/bin/env node
// `npm start`: the compiled server when it is up to date (bin/entry.js), else its TypeScript sources through
// tsx (docs/deployment.md).
import { load } from './entry.js';

const { start, describeStartError } = await load('main');
try {
  await start();
} catch (error) {
  const line = describeStartError(error);
  if (!line) throw error;
  process.stderr.write(`yiye: ${line}\n`);
  process.exit(1);
}
