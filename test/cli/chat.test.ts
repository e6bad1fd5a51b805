import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../server/serverProcess.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the real `yiye` bin with lines on stdin, as a script would. */
function yiyeBin(args: string[], input: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/yiye.js', ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('yiye chat (terminal channel)', () => {
  it('is scriptable: lines in, one JSON object per reply out, with the state', async () => {
    const dir = tempDir();
    const env = { VAR_DIR: dir, DATABASE_URL: `file:${dir}/cli.db` };
    const { code, stdout, stderr } = await yiyeBin(['chat', '--region', '奈曼旗', '--user', 'script-1', '--json'], '我想开个健身房\n有游泳池\n是\n', env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.every((l) => typeof l.conversationId === 'string' && l.reply.text && l.state)).toBe(true);
    const last = lines.at(-1);
    expect(last.state.industry).toEqual({ id: 'gym', name: '健身房' });
    expect(last.state.answers).toMatchObject({ high_risk_sport: true, public_gathering: true });
    expect(last.state.permits.map((p: { name: string; status: string }) => `${p.name}:${p.status}`)).toEqual([
      '公共场所卫生许可:required',
      '经营高危险性体育项目许可:required',
      '公众聚集场所投入使用、营业前消防安全检查:required',
    ]);
  });

  it('reads for a person: plain text replies with the options listed, and remembers the user between runs', async () => {
    const dir = tempDir();
    const env = { VAR_DIR: dir, DATABASE_URL: `file:${dir}/cli.db` };
    const first = await yiyeBin(['chat', '--user', 'person-1'], '新乡经开区\n开个书店\n', env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('助手：');
    expect(first.stdout).toContain('[可回复：是 / 否 / 不确定]');
    expect(first.stdout).not.toMatch(/[{}]|large_outdoor_ad/);
    const second = await yiyeBin(['chat', '--user', 'person-1'], '否\n', env);
    expect(second.stdout).toContain('出版物经营许可（零售）');
    expect(second.stdout).toContain('需要办理的事项（1项）');
  });
});
