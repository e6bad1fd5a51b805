/** Runs the `yiye` command in-process (the same `main` the bin calls) and captures its output. */
import { main } from '../src/cli/main.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function yiye(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

export async function yiyeJson<T = unknown>(args: string[], env: NodeJS.ProcessEnv = {}): Promise<T & { __code: number }> {
  const result = await yiye([...args, '--json'], env);
  if (!result.stdout) throw new Error(`no output (code ${result.code}): ${result.stderr}`);
  return { ...(JSON.parse(result.stdout) as T), __code: result.code };
}
