// The ConversationRepository contract, run against the in-memory twin, SQLite and PostgreSQL.

import { expect, it } from 'vitest';
import type { ConversationRepository } from '../../src/store/conversations.ts';
import { NotFoundError } from '../../src/kernel/errors.ts';

export function conversationContract(repository: () => ConversationRepository): void {
  // Unique per run, so suites sharing a database never see each other's rows.
  const user = (name: string) => ({ channel: 'telegram', userId: `${name}-${Math.random().toString(36).slice(2)}` });

  it('finds nothing for a new user, then starts one conversation and finds it again', async () => {
    const repo = repository();
    const key = user('new');
    expect(await repo.findLatest(key)).toBeNull();
    const started = await repo.findOrStart(key);
    expect(started).toMatchObject({ ...key, stage: 'start', state: {}, handoff: false, region: null, industry: null });
    expect(started.createdAt).toBeInstanceOf(Date);
    expect((await repo.findOrStart(key)).id).toBe(started.id);
    expect((await repo.findLatest(key))?.id).toBe(started.id);
  });

  it('keeps users of different channels apart', async () => {
    const repo = repository();
    const key = user('same-id');
    const onTelegram = await repo.findOrStart(key);
    const onWechat = await repo.findOrStart({ ...key, channel: 'wechat' });
    expect(onWechat.id).not.toBe(onTelegram.id);
    expect(onWechat.channel).toBe('wechat');
  });

  it('saves stage, region, industry, handoff and a nested JSON state', async () => {
    const repo = repository();
    const conversation = await repo.findOrStart(user('state'));
    const state = { answers: { food_scope: 'other', sells_tobacco: true, employee_count: 3 }, asked: ['food_scope'], note: '饭店 新乡经开区', none: null };
    const saved = await repo.update(conversation.id, { stage: 'questions', region: 'xinxiang_jk', industry: 'restaurant', handoff: true, state });
    expect(saved).toMatchObject({ stage: 'questions', region: 'xinxiang_jk', industry: 'restaurant', handoff: true, state });
    expect(await repo.get(conversation.id)).toEqual(saved);
    expect(saved.updatedAt.getTime()).toBeGreaterThanOrEqual(conversation.updatedAt.getTime());
  });

  it('appends messages and loads the most recent ones, oldest first', async () => {
    const repo = repository();
    const conversation = await repo.findOrStart(user('messages'));
    for (const [i, direction] of (['in', 'out', 'in', 'out', 'in'] as const).entries()) {
      await repo.appendMessage({ conversationId: conversation.id, direction, text: `第${i}条` });
    }
    const recent = await repo.recentMessages(conversation.id, 3);
    expect(recent.map((m) => [m.direction, m.text])).toEqual([['in', '第2条'], ['out', '第3条'], ['in', '第4条']]);
    expect(recent[0]?.conversationId).toBe(conversation.id);
    expect((await repo.recentMessages(conversation.id)).length).toBe(5);
    expect(await repo.recentMessages('no-such-conversation')).toEqual([]);
  });

  it('starts over with a new conversation, and follows the one the user writes in', async () => {
    const repo = repository();
    const key = user('restart');
    const first = await repo.findOrStart(key);
    const second = await repo.start(key);
    expect(second.id).not.toBe(first.id);
    expect((await repo.findLatest(key))?.id).toBe(second.id);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await repo.appendMessage({ conversationId: first.id, direction: 'in', text: '回到第一个' });
    expect((await repo.findLatest(key))?.id).toBe(first.id);
  });

  it('raises NotFoundError for a conversation that does not exist', async () => {
    const repo = repository();
    await expect(repo.get('missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(repo.update('missing', { stage: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(repo.appendMessage({ conversationId: 'missing', direction: 'in', text: 'hi' })).rejects.toMatchObject({
      name: 'NotFoundError',
      entity: 'Conversation',
      key: 'missing',
    });
  });
}
