#!/usr/bin/env node
// `npm start`: runs the TypeScript sources through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { start, describeStartError } = await import('../src/main.ts');
try {
  await start();
} catch (error) {
  const line = describeStartError(error);
  if (!line) throw error;
  process.stderr.write(`yiye: ${line}\n`);
  process.exit(1);
}
