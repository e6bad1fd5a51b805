#!/usr/bin/env node
// The `yiye` command: the compiled code when it is up to date (bin/entry.js; each command then starts in a
// fraction of a second), else the TypeScript sources through tsx.
import { load } from './entry.js';

const { main } = await load('cli/main');
process.exitCode = await main(process.argv.slice(2));
