/** One thing wrong in a catalog file: where, what, and what would be accepted there. */
export interface CatalogProblem {
  file: string;
  /** Inside the file: `industries[2].items[0].permit`; empty for the file as a whole. */
  path: string;
  /** What is wrong. */
  problem: string;
  /** What the place accepts, in words (a lower-case id, one of …, a registry permit id). */
  accepted?: string;
  /** A value that would be accepted there. */
  example?: string;
}

/** One line for an operator: file, path, problem, what is accepted, an example. */
export function formatProblem(p: CatalogProblem): string {
  const accepted = p.accepted ? `; accepted: ${p.accepted}` : '';
  const example = p.example ? ` (e.g. ${p.example})` : '';
  return `${p.file}${p.path ? `: ${p.path}` : ''}: ${p.problem}${accepted}${example}`;
}

/**
 * Catalog files that cannot be used. `problems` lists every problem found, all files at once; `message`
 * is the first as one line (file, path, problem, what is accepted) and how many more there are, so an
 * operator can fix the files without reading a stack trace.
 */
export class CatalogError extends Error {
  override readonly name = 'CatalogError';
  readonly file: string;
  readonly path: string;
  readonly problem: string;
  constructor(readonly problems: readonly [CatalogProblem, ...CatalogProblem[]]) {
    const [first] = problems;
    const more = problems.length - 1;
    super(`${formatProblem(first)}${more ? ` (and ${more} more: yiye catalog lint lists them all)` : ''}`);
    this.file = first.file;
    this.path = first.path;
    this.problem = first.problem;
  }

  static at(file: string, path: string, problem: string): CatalogError {
    return new CatalogError([{ file, path, problem }]);
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
