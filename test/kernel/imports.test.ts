/** The kernel is what every module may use, so it uses nothing of ours: only Node's built-ins and itself. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const KERNEL = fileURLToPath(new URL('../../src/kernel/', import.meta.url));

describe('src/kernel', () => {
  it('imports only node: built-ins and its own modules', () => {
    for (const file of readdirSync(KERNEL).filter((f) => f.endsWith('.ts'))) {
      const specifiers = [...readFileSync(`${KERNEL}${file}`, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
      for (const specifier of specifiers) expect(specifier, `${file} imports ${specifier}`).toMatch(/^(node:|\.\/[\w.]+\.ts$)/);
    }
  });
});
