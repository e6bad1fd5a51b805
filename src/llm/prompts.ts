/**
 * The LLM prompts, one file each in `prompts/`: a front matter naming every variable, then the system
 * and the user message (`[system]`, `[user]`), in mustache (`{{name}}`). They are loaded and checked at
 * start: a variable used but not declared, or declared but not used, refuses to start, so that changing
 * the wording needs no code change and cannot silently drop what the code fills in.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PROJECT_ROOT } from '../config.ts';

export const PROMPT_DIR = path.join(PROJECT_ROOT, 'prompts');

/** The prompts the code uses, with the variables it fills in for each. */
export const PROMPT_VARIABLES = {
  reader: ['region', 'industries', 'questions', 'permits', 'requests', 'pending', 'history', 'message'],
  answer: ['region', 'industry', 'passages', 'history', 'question'],
} as const;

export type PromptName = keyof typeof PROMPT_VARIABLES;
export type PromptValues<N extends PromptName> = Record<(typeof PROMPT_VARIABLES)[N][number], string>;

export interface LoadedPrompt {
  name: PromptName;
  description: string;
  template: ChatPromptTemplate;
}

export type Prompts = { [N in PromptName]: LoadedPrompt };

/** A prompt file that cannot be used; the message names the file and what is wrong. */
export class PromptError extends Error {
  override readonly name = 'PromptError';
}

const frontMatter = z.object({
  description: z.string().min(1),
  variables: z.record(z.string(), z.string().min(1)),
});

export function loadPrompts(dir: string = PROMPT_DIR): Prompts {
  const load = (name: PromptName): LoadedPrompt => parsePrompt(name, readPrompt(dir, name), path.join(dir, `${name}.md`));
  return { reader: load('reader'), answer: load('answer') };
}

function readPrompt(dir: string, name: PromptName): string {
  try {
    return readFileSync(path.join(dir, `${name}.md`), 'utf8');
  } catch {
    throw new PromptError(`${path.join(dir, `${name}.md`)}: the prompt file is missing`);
  }
}

export function parsePrompt(name: PromptName, source: string, file = `${name}.md`): LoadedPrompt {
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(source.replace(/\r\n?/g, '\n'));
  if (!m) throw new PromptError(`${file}: starts with a front matter between --- lines`);
  const head = frontMatter.safeParse(parseYaml(m[1] ?? ''));
  if (!head.success) throw new PromptError(`${file}: the front matter needs a description and variables (name: meaning)`);
  const body = m[2] ?? '';
  const system = section(body, 'system');
  const user = section(body, 'user');
  if (!system || !user) throw new PromptError(`${file}: needs a [system] and a [user] section`);
  const declared = Object.keys(head.data.variables).sort();
  const expected = [...PROMPT_VARIABLES[name]].sort();
  const template = ChatPromptTemplate.fromMessages(
    [
      ['system', system],
      ['human', user],
    ],
    { templateFormat: 'mustache' },
  );
  const used = [...template.inputVariables].sort();
  const problems = [
    ...expected.filter((v) => !declared.includes(v)).map((v) => `variable ${v} is not declared`),
    ...declared.filter((v) => !(expected as string[]).includes(v)).map((v) => `variable ${v} is declared but the code does not fill it in`),
    ...declared.filter((v) => !used.includes(v)).map((v) => `variable ${v} is declared but not used`),
    ...used.filter((v) => !declared.includes(v)).map((v) => `{{${v}}} is used but not declared`),
  ];
  if (problems.length) throw new PromptError(`${file}: ${problems.join('; ')}`);
  return { name, description: head.data.description, template };
}

function section(body: string, name: 'system' | 'user'): string | undefined {
  const m = new RegExp(`^\\[${name}\\]\\n([\\s\\S]*?)(?=^\\[(?:system|user)\\]\\n|(?![\\s\\S]))`, 'm').exec(body);
  const text = m?.[1]?.trim();
  return text || undefined;
}
