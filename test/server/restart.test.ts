import { afterAll, describe, expect, it } from 'vitest';
import { chat, startServer, tempDir, type RunningServer } from './serverProcess.ts';

const running: RunningServer[] = [];
afterAll(async () => {
  for (const s of running) await s.stop('SIGKILL');
});

describe('npm start: the web chat survives a crash mid-form', () => {
  it('kills the server mid-form, restarts it on the same database, and the form continues with nothing lost', async () => {
    const dir = tempDir();
    const env = { VAR_DIR: dir, DATABASE_URL: `file:${dir}/chat.db` };
    const first = await startServer(env);
    running.push(first);
    const user = { userId: 'w-restart-1' };
    let r = await chat(first.url, { ...user, text: '我想在大沁他拉开个小卖部，也卖烟，不卖药' });
    expect(r.status).toBe(200);
    expect(r.json.state.region).toEqual({ id: 'naiman', name: '奈曼旗' });
    expect(r.json.state.industry).toEqual({ id: 'convenience_store', name: '便利店' });
    r = await chat(first.url, { ...user, text: '填表' });
    expect(r.json.state.stage).toBe('form');
    r = await chat(first.url, { ...user, text: '老王便利店' });
    r = await chat(first.url, { ...user, text: '个体工商户' });
    expect(r.json.state.pendingField.id).toBe('credit_code');
    const conversationId = r.json.conversationId;

    // A crash, not a clean stop: nothing gets a chance to flush.
    await first.stop('SIGKILL');
    const second = await startServer(env);
    running.push(second);

    r = await chat(second.url, { ...user, text: '92150525MA00000013' });
    expect(r.status).toBe(200);
    expect(r.json.conversationId).toBe(conversationId);
    expect(r.json.state.stage).toBe('form');
    expect(r.json.state.pendingField.id).toBe('legal_rep_name');
    expect(r.json.state.permits.filter((p: { status: string }) => p.status === 'required').map((p: { name: string }) => p.name)).toEqual([
      '食品经营许可',
      '公共场所卫生许可',
      '烟草专卖零售许可证核发',
    ]);
    // What was typed before the crash is still there: it shows in the summary at the end.
    for (const text of ['王五', '11010519491231002X', '王五', '13912345678', '奈曼旗大沁他拉镇团结路12号', '60平', '2']) {
      r = await chat(second.url, { ...user, text });
    }
    let guard = 0;
    while (r.json.state.stage === 'form' && guard++ < 20) {
      const field = r.json.state.pendingField;
      const reply = r.json.replies.at(-1);
      const text = reply.options?.[0]?.value ?? (!field.required ? '跳过' : field.type === 'text' ? '详见附件说明' : '1');
      r = await chat(second.url, { ...user, text });
    }
    expect(r.json.state.stage).toBe('confirm');
    const summary = r.json.replies.at(-1).text as string;
    expect(summary).toContain('老王便利店');
    expect(summary).toContain('个体工商户');
    expect(summary).toContain('139****5678');
    expect(summary).not.toContain('13912345678');
  });
});
