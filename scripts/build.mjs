// `npm run build` (and the postinstall of `npm install`): compiles src/ to dist/ (same layout, so paths to
// data/, prisma/ and prompts/ hold) without type checking, which `npm run typecheck` does, and copies the web pages.
// `npm start` and `yiye` run the compiled code when dist/ is newer than every source file.
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const root = new URL('..', import.meta.url);
rmSync(new URL('dist/', root), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--noCheck'], { cwd: root, stdio: 'inherit' });
cpSync(new URL('src/server/web/', root), new URL('dist/server/web/', root), { recursive: true });
// jieba's IDF table, parsed and sorted once into node_modules/.cache (src/knowledge/idf.ts), not at the first start.
const { loadIdf } = await import(new URL('dist/knowledge/idf.js', root).href);
loadIdf();
writeFileSync(new URL('dist/.built', root), `${new Date().toISOString()}\n`);
