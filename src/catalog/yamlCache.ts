/**
 * YAML parsed once per content: the data files (≈ 200 KB of YAML) take ≈ 0.4 s to parse on a cold start,
 * which every `yiye` command would pay. The parsed document is kept as JSON under
 * node_modules/.cache/yiye-yaml, named by the SHA-256 of the file's text, so an edited file is parsed again
 * and a stale entry can never be read. The cache is best effort: unwritable, it is skipped.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/yiye-yaml/', import.meta.url));

/** The YAML text parsed (as `yaml`'s parse with the options given), from the cache when it was parsed before. */
export function parseYamlCached(source: string, options: { prettyErrors?: boolean } = {}): unknown {
  const key = createHash('sha256').update(source, 'utf8').digest('hex');
  const file = path.join(CACHE_DIR, `${key}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    // Not cached yet (or unreadable): parsed below.
  }
  const value: unknown = parseYaml(source, options);
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written aside and renamed, so a reader never sees half a file.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(value));
    renameSync(partial, file);
  } catch {
    // A read-only install: parse every time.
  }
  return value;
}
