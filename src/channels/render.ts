/**
 * The rendering decisions Telegram and WeChat share, so that neither writes them again: which replies
 * go out as one message, where long texts are cut, how choices read where there are no buttons, what
 * a slash command means to the core, and the few words a channel says itself.
 */
import type { Reply, ReplyOption } from '../dialogue/types.ts';
import { flowChartAlt, flowChartPng } from '../guidance/flowchart.ts';

/** One platform message: text (with the choices to offer), or a PNG image. */
export type Outbound =
  | { kind: 'text'; text: string; options?: ReplyOption[] }
  | { kind: 'image'; png: Buffer; alt: string; caption?: string };

/** Said by a channel when the message is not text (a sticker, a voice note, a photo). */
export const TEXT_ONLY = '目前只能处理文字消息。请用文字告诉我您想开什么店、想问什么，或回复「帮助」。';
/** Said when the core failed on a turn; nothing of the user's was lost (the turn is one transaction). */
export const UNAVAILABLE = '服务暂时不可用，请稍后再试。您之前填写的内容都已保存。';
/** A button whose choice this server no longer knows (it restarted, or another instance made it). */
export const STALE_BUTTON = '这个按钮已过期，请直接输入您的选择。';
/** Text for a message that has only choices. */
const CHOOSE = '请选择：';

/**
 * Turns the core's replies into platform messages. Consecutive plain replies are joined into one
 * message (a turn often says two or three short things; each message counts against the platform's
 * pace, and a WeChat account that sends bursts looks like a spammer). A reply with choices ends its
 * message and carries them; an image follows its text as its own message. Texts longer than `maxChars`
 * are cut at line breaks.
 */
export function planReplies(replies: readonly Reply[], maxChars: number): Outbound[] {
  const out: Outbound[] = [];
  let buffer: string[] = [];
  const flush = (options?: ReplyOption[]) => {
    const text = buffer.join('\n\n').trim();
    buffer = [];
    if (!text && !options?.length) return;
    const chunks = splitText(text || CHOOSE, maxChars);
    chunks.forEach((chunk, n) => {
      const last = n === chunks.length - 1;
      out.push({ kind: 'text', text: chunk, ...(last && options?.length ? { options } : {}) });
    });
  };
  for (const reply of replies) {
    const text = reply.text.trim();
    if (text && buffer.length && [...buffer, text].join('\n\n').length > maxChars) flush();
    if (text) buffer.push(text);
    // The flow chart goes as a picture where the host can draw Chinese (a CJK font); the notice's text
    // already says every step, so without one nothing is missing.
    const chart = reply.chart ? flowChartPng(reply.chart) : null;
    if (reply.options?.length || reply.image || chart) flush(reply.options);
    if (reply.image) {
      out.push({ kind: 'image', png: reply.image.png, alt: reply.image.alt, ...(reply.image.caption ? { caption: reply.image.caption } : {}) });
    }
    if (chart && reply.chart) out.push({ kind: 'image', png: chart, alt: flowChartAlt(reply.chart), caption: reply.chart.title });
  }
  flush();
  return out;
}

/** Cuts a text into pieces of at most `max` characters, at line breaks where it can. */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = rest.lastIndexOf('\n', max);
    const at = cut > max / 2 ? cut : max;
    chunks.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).replace(/^\n+/, '');
  }
  if (rest) chunks.push(rest);
  return chunks;
}

/**
 * Choices as text, for channels without buttons (WeChat). Questions whose text already numbers their
 * choices (the core writes「1. 仅销售预包装食品」) get only the choices it did not number (「不确定」);
 * others get a numbered list. A reply of the number then means the choice (see {@link OptionMemory}).
 */
export function withNumberedOptions(text: string, options: readonly ReplyOption[] | undefined): string {
  if (!options?.length) return text;
  let listed = 0;
  while (listed < options.length && text.includes(`${listed + 1}. ${options[listed]?.label ?? ''}`)) listed += 1;
  const rest = options.slice(listed).map((o, n) => `${listed + n + 1}. ${o.label}`);
  if (!rest.length) return text;
  if (listed > 0) return `${text}\n${rest.join('\n')}`;
  const short = options.length <= 4 && options.every((o) => o.label.length <= 4);
  return short ? `${text}\n\n请回复：${rest.join('　')}` : `${text}\n\n请回复序号或文字：\n${rest.join('\n')}`;
}

/**
 * The choices a user was last offered, so that a reply of「2」means the second one. Only the last
 * reply's choices count, and only a bare number: a number typed for a form field (从业人员数) is left
 * alone because that question offers no choices. Held in memory: after a restart a number goes to the
 * core as typed, which still understands it for numbered questions.
 */
export class OptionMemory {
  private readonly last = new Map<string, readonly ReplyOption[]>();

  constructor(private readonly max = 10_000) {}

  /** Remembers the choices of a turn's last reply (none clears them). */
  remember(userId: string, replies: readonly Reply[]): void {
    const options = replies.at(-1)?.options;
    this.last.delete(userId);
    if (!options?.length) return;
    this.last.set(userId, options);
    if (this.last.size > this.max) {
      const oldest = this.last.keys().next().value;
      if (oldest !== undefined) this.last.delete(oldest);
    }
  }

  /** The value of the choice a bare number names, or the text unchanged. */
  resolve(userId: string, text: string): string {
    const n = /^\s*(\d{1,2})\s*[.、。]?\s*$/.exec(text.normalize('NFKC'))?.[1];
    const option = n ? this.last.get(userId)?.[Number(n) - 1] : undefined;
    return option ? option.value : text;
  }
}

/** The core's words for the slash commands channels offer (/start, /help, /reset, /status, /licence). */
const COMMAND_WORDS: Record<string, string> = {
  start: '帮助',
  help: '帮助',
  reset: '重新开始',
  status: '进度',
  licence: '我的许可证',
  license: '我的许可证',
  human: '转人工',
};

/** The commands to list in a platform's menu, with what they do in Chinese. */
export const COMMAND_MENU: readonly { command: string; description: string }[] = [
  { command: 'start', description: '开始咨询' },
  { command: 'help', description: '帮助：我能做什么' },
  { command: 'status', description: '查询办理进度' },
  { command: 'licence', description: '获取行业综合许可证和二维码' },
  { command: 'reset', description: '重新开始（之前的记录会保存）' },
];

/**
 * `/start`, `/help@yiye_bot`, `/start deep-link-payload` → the core's word for it; any other text, and
 * unknown commands, unchanged.
 */
export function commandText(text: string): string {
  const command = /^\/([A-Za-z_]+)(?:@\w+)?(?:\s|$)/.exec(text.trim())?.[1]?.toLowerCase();
  return (command && COMMAND_WORDS[command]) ?? text;
}
