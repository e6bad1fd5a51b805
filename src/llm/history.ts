/** The last turns of a conversation as the prompts show them: masked, each message cut short. */
import type { Placeholders } from '../privacy/placeholders.ts';

const MAX_MESSAGES = 6;
const MAX_CHARS = 200;

export function historyText(history: readonly { direction: 'in' | 'out'; text: string }[], masker: Placeholders): string {
  const lines = history.slice(-MAX_MESSAGES).map((m) => {
    const text = m.text.replace(/\s+/g, ' ').trim();
    const cut = text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text;
    return `${m.direction === 'in' ? '申请人' : '助手'}：${masker.mask(cut)}`;
  });
  return lines.length ? lines.join('\n') : '（无）';
}
