// What `npm start` and `yiye` run: the compiled module in dist/ when the build (npm install's postinstall, or
// `npm run build`) is newer than every source file, else the TypeScript source through tsx's loader (a
// checkout edited since its last build), which costs a slower start and about 35 MB more memory.
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

/** `name`: the module's path under src/ without its extension, e.g. `cli/main`. */
export async function load(name) {
  if (existsSync(built) && statSync(built).mtimeMs >= newest(`${root}src`)) return import(`../dist/${name}.js`);
  const { register } = await import('tsx/esm/api');
  register();
  return import(`../src/${name}.ts`);
}
