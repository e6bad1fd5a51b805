/**
 * `yiye chat`: the terminal channel. Pleasant for a person (a prompt, options listed, images saved to a
 * file), scriptable for a machine (lines in; with `--json` one JSON object per reply out).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createCore } from '../app/core.ts';
import type { Config } from '../config.ts';
import type { Reply, TurnResult } from '../dialogue/types.ts';
import { replyJson } from '../server/chatRoutes.ts';

export interface ChatOptions {
  region?: string;
  user?: string;
  json: boolean;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  write: (text: string) => void;
}

export async function runChat(config: Config, options: ChatOptions): Promise<number> {
  const core = await createCore(config, { rateLimit: false });
  const userId = options.user ?? `cli-${os.userInfo().username}`;
  const interactive = options.input.isTTY === true && !options.json;
  const imageDir = path.join(config.varDir, 'chat-images');
  let images = 0;

  const show = (result: TurnResult) => {
    for (const reply of result.replies) {
      if (options.json) {
        options.write(JSON.stringify({ conversationId: result.conversationId, reply: replyJson(reply), state: result.state }));
        continue;
      }
      options.write(`助手：${reply.text}`);
      if (reply.image) options.write(`      [图片：${reply.image.alt}，已保存到 ${saveImage(reply)}]`);
      if (reply.options?.length) options.write(`      [可回复：${reply.options.map((o) => o.label).join(' / ')}]`);
    }
  };
  const saveImage = (reply: Reply): string => {
    if (!reply.image) return '';
    mkdirSync(imageDir, { recursive: true });
    const file = path.join(imageDir, `${Date.now()}-${++images}.png`);
    writeFileSync(file, reply.image.png);
    return file;
  };
  const turn = (text: string) =>
    core.assistant.handleMessage({ channel: 'cli', userId, text, ...(options.region ? { region: options.region } : {}) });

  try {
    if (interactive) {
      show(await turn(''));
      options.write('（输入消息后回车；Ctrl+D 退出）');
    }
    const lines = createInterface({ input: options.input, terminal: false });
    if (interactive) process.stdout.write('您> ');
    for await (const line of lines) {
      show(await turn(line));
      if (interactive) process.stdout.write('您> ');
    }
    if (interactive) options.write('\n再见！您的对话已保存，下次可以接着聊。');
    return 0;
  } finally {
    await core.close();
  }
}
