/**
 * A catalog file that cannot be used. `message` is one line: the file, the path inside it, the problem,
 * so an operator can fix the file without reading a stack trace.
 */
export class CatalogError extends Error {
  override readonly name = 'CatalogError';
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${file}${path ? `: ${path}` : ''}: ${problem}`);
  }
}

/** A region, industry or other name the user gave that the catalogs do not know. */
export class UnknownNameError extends Error {
  override readonly name = 'UnknownNameError';
  constructor(
    readonly kind: 'region' | 'industry' | 'question',
    readonly given: string,
    readonly known: string[],
  ) {
    const label = { region: '地区', industry: '行业', question: '问题' }[kind];
    super(`未找到${label}「${given}」。可选：${known.join('、')}`);
  }
}

/** Formats a zod issue path as `industries[2].items[0].permit`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
