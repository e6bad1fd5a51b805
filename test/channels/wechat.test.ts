/**
 * WeChat through wechaty with wechaty-puppet-mock: the login QR drawn and saved, the applicant journey
 * with choices answered by number, staff moving the case while the outbox pushes to the contact by id,
 * the licence QR as an image, the bot ignoring itself and group chatter unless @-mentioned, and a
 * message the puppet reports twice answered once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { cjkFont } from '../../src/guidance/flowchart.ts';
import { ScanStatus, types, type Message } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createWechatChannel, WechatUnavailableError, type WechatChannel } from '../../src/channels/wechat.ts';
import { PermanentSendError } from '../../src/notify/senders.ts';
import { decodeQr } from '../licence/decodeQr.ts';
import { BASE_URL, caseNumberOf, manualOutbox, staff, testCore, type TestCore } from './helpers.ts';

type MockMessage = ReturnType<mock.Mocker['MessageMock']['load']>;

const FAST = { perChatMs: 5, perSecond: 1000 };

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('WeChat on wechaty-puppet-mock', () => {
  let t: TestCore;
  let mocker: mock.Mocker;
  let puppet: PuppetMock;
  let channel: WechatChannel;
  let botUser: mock.ContactMock;
  let user: mock.ContactMock;
  const drawn: string[] = [];
  /** What the user received from the bot, in order. */
  const received: MockMessage[] = [];
  const roomMessages: MockMessage[] = [];

  beforeAll(async () => {
    t = await testCore();
    mocker = new mock.Mocker();
    puppet = new PuppetMock({ mocker });
    // Everything the bot sends, as the mock delivers it: to the user privately, or into a group.
    puppet.on('message', ({ messageId }) => {
      const m = mocker.MessageMock.load(messageId);
      if (!botUser || m.payload.talkerId !== botUser.id) return;
      if (m.payload.roomId) roomMessages.push(m);
      else if (user && m.payload.listenerId === user.id) received.push(m);
    });
    channel = createWechatChannel({
      puppet,
      memoryPath: join(t.dir, 'wechaty'),
      loginQrFile: join(t.dir, 'wechat-login-qr.png'),
      assistant: t.core.assistant,
      pace: FAST,
      terminal: (text) => drawn.push(text),
    });
    channel.start();
    await until(() => channel.bot.state.active() === true, 'wechaty to start');
  });
  afterAll(async () => {
    await channel?.stop();
    await t?.close();
  });

  /** The user says `text` to the bot; resolves with what the bot answered. */
  async function say(text: string): Promise<MockMessage[]> {
    const before = received.length;
    const heard = new Promise<void>((resolve) => {
      const listener = (m: Message) => {
        if (!m.self() && m.text() === text) {
          channel.bot.off('message', listener);
          resolve();
        }
      };
      channel.bot.on('message', listener);
    });
    user.say(text).to(botUser);
    await heard;
    await channel.idle();
    return received.slice(before);
  }
  const texts = (messages: MockMessage[]) => messages.map((m) => m.text() ?? '').join('\n');
  const images = (messages: MockMessage[]) => messages.filter((m) => m.type() === types.Message.Image);
  const png = async (m: MockMessage | undefined) => {
    if (!m) throw new Error('no image');
    return (await m.toFileBox()).toBuffer();
  };

  it('shows the login QR code in the terminal and as a PNG, then logs in', async () => {
    const value = 'https://login.weixin.qq.com/l/yiye-test';
    mocker.scan(value, ScanStatus.Waiting);
    await until(() => drawn.length > 0 && existsSync(join(t.dir, 'wechat-login-qr.png')), 'the login QR');
    expect(drawn[0]).toMatch(/[▄▀█]/);
    await until(() => {
      try {
        return decodeQr(readFileSync(join(t.dir, 'wechat-login-qr.png'))) === value;
      } catch {
        return false;
      }
    }, 'the QR PNG to be written');

    botUser = mocker.createContact({ name: '一业一证助手' });
    mocker.login(botUser);
    await until(() => channel.bot.isLoggedIn, 'login');
    user = mocker.createContact({ name: '张三' });
    // The memory card stays in the data directory, never in the repository.
    expect(existsSync(join(process.cwd(), 'wechaty.memory-card.json'))).toBe(false);
  });

  it('goes from 「我想在大沁他拉开个小卖部，也卖烟」 to a submitted application, answering choices by number', async () => {
    const first = await say('我想在大沁他拉开个小卖部，也卖烟');
    expect(texts(first)).toContain('奈曼旗');
    // No buttons on WeChat: the choices as a numbered list, a number replies.
    expect(first.at(-1)?.text()).toContain('请回复：1. 是　2. 否　3. 不确定');
    const permits = await say('2');
    expect(texts(permits)).toContain('烟草专卖零售许可证核发');
    expect(texts(permits)).not.toContain('药品零售企业许可（');

    // The notice, then its flow chart as an image message (where the host has a CJK font).
    const notice = await say('告知单');
    expect(texts(notice)).toContain('一次告知单');
    if (cjkFont()) {
      const image = PNG.sync.read(await png(images(notice)[0]));
      expect(image.width).toBe(1360);
      expect(image.height).toBeGreaterThan(900);
    } else {
      expect(images(notice)).toHaveLength(0);
    }

    expect(texts(await say('填表'))).toContain('主体名称');
    const entityType = await say('老王便利店');
    // The core numbers this question itself; the list is not repeated.
    expect(entityType.at(-1)?.text()?.match(/2\. 个体工商户/g)).toHaveLength(1);
    await say('2');
    for (const text of ['92150525MA00000013', '王五', '11010519491231002X', '王五', '13912345678', '奈曼旗大沁他拉镇团结路12号', '60平', '2', '1', '1', '冷藏柜、货架']) await say(text);
    const summary = await say('2');
    expect(texts(summary)).toContain('请核对您的申请信息');
    expect(texts(summary)).toContain('主体类型：个体工商户');
    expect(texts(summary)).toContain('是否使用集中空调通风系统：否');
    const submitted = await say('1');
    expect(texts(submitted)).toContain('申请已提交');
    const caseNumber = await caseNumberOf(t, 'wechat', user.id);
    expect(texts(submitted)).toContain(caseNumber);

    // Staff ask for materials; the outbox pushes to the contact by id.
    const outbox = manualOutbox(t, new Map([['wechat', channel.sender]]));
    await staff.accept(t, caseNumber);
    await staff.requestMaterials(t, caseNumber);
    const before = received.length;
    expect(await outbox.tick()).toBe(2);
    await channel.idle();
    expect(texts(received.slice(before))).toContain('从业人员健康证明已过期');

    await staff.resolveMaterials(t, caseNumber);
    await staff.approveAndIssue(t, caseNumber);
    const afterIssue = received.length;
    await outbox.tick();
    await outbox.stop();
    const pushedImages = images(received.slice(afterIssue));
    expect(pushedImages.length).toBeGreaterThan(0);

    const licence = await say('把许可证发我');
    const url = decodeQr(await png(images(licence)[0]));
    expect(url.startsWith(`${BASE_URL}/v/`)).toBe(true);
    expect(decodeQr(await png(pushedImages.at(-1)))).toBe(url);
  });

  it('pushes to a contact by id; an unknown contact is permanent, not being logged in transient', async () => {
    const before = received.length;
    await channel.sender.send({ userId: user.id }, { text: '补正提醒：测试推送' });
    expect(received.slice(before).map((m) => m.text())).toEqual(['补正提醒：测试推送']);
    await expect(channel.sender.send({ userId: 'no-such-contact' }, { text: 'x' })).rejects.toBeInstanceOf(PermanentSendError);

    const offline = createWechatChannel({ puppet: new PuppetMock({ mocker: new mock.Mocker() }), memoryPath: join(t.dir, 'offline'), assistant: t.core.assistant });
    await expect(offline.sender.send({ userId: user.id }, { text: 'x' })).rejects.toBeInstanceOf(WechatUnavailableError);
  });

  it('ignores its own messages and group chatter, and answers in a group only when mentioned', async () => {
    const other = mocker.createContact({ name: '李四' });
    const room = mocker.createRoom({ topic: '开店交流群', memberIdList: [botUser.id, user.id, other.id] });
    const inRoom = roomMessages;
    const stored = () => t.core.db.prisma.message.count({ where: { direction: 'in' } });
    const storedBefore = await stored();

    // The bot account writing from its phone, and people talking in the group: no turn, no answer.
    botUser.say('我自己发的消息').to(user);
    other.say('大家好，有人知道烟草证怎么办吗').to(room);
    await new Promise((r) => setTimeout(r, 200));
    await channel.idle();
    expect(inRoom).toHaveLength(0);
    expect(await stored()).toBe(storedBefore);
    expect(await t.core.db.prisma.conversation.count({ where: { channel: 'wechat', userId: botUser.id } })).toBe(0);

    // @-mentioned: the answer goes to the group; the conversation is the asker's own.
    other.say('@一业一证助手 我想在新乡经开区开个饭店', [botUser]).to(room);
    await until(() => inRoom.length > 0, 'an answer in the group');
    await channel.idle();
    expect(inRoom.map((m) => m.text()).join('\n')).toContain('饭店');
    expect(await t.core.db.prisma.conversation.count({ where: { channel: 'wechat', userId: other.id } })).toBe(1);
    // Its own answers (which wechaty reports back as messages) started no turn.
    expect(await stored()).toBe(storedBefore + 1);
    expect(readdirSync(process.cwd()).filter((f) => f.endsWith('.memory-card.json'))).toEqual([]);
  });

  it('answers once a message the puppet reports again (as after reconnecting)', async () => {
    const inbound = () => t.core.db.prisma.message.count({ where: { direction: 'in', text: '进度', conversation: { channel: 'wechat', userId: user.id } } });
    const stored = await inbound();
    const hear = (match: (m: Message) => boolean) =>
      new Promise<Message>((resolve) => {
        const listener = (m: Message) => {
          if (!match(m)) return;
          channel.bot.off('message', listener);
          resolve(m);
        };
        channel.bot.on('message', listener);
      });
    const before = received.length;
    const heard = hear((m) => !m.self() && m.text() === '进度');
    user.say('进度').to(botUser);
    const original = await heard;
    await channel.idle();
    const answered = received.length - before;
    expect(answered).toBeGreaterThan(0);

    const again = hear((m) => m.id === original.id);
    puppet.emit('message', { messageId: original.id });
    await again;
    await new Promise((r) => setTimeout(r, 100));
    await channel.idle();
    expect(received.length - before).toBe(answered);
    expect(await inbound()).toBe(stored + 1);
  });
});
