/**
 * The prompt files and the LLM settings: checked at start, so that a broken prompt or setting is an
 * operator's one-line error, not a failure in a user's turn.
 */
import { describe, expect, test } from 'vitest';
import { loadConfig, ConfigError } from '../../src/config.ts';
import { loadPrompts, parsePrompt, PromptError, PROMPT_VARIABLES } from '../../src/llm/prompts.ts';
import { placeholders } from '../../src/privacy/placeholders.ts';

const FRONT = (vars: string[]) => `---\ndescription: 测试\nvariables:\n${vars.map((v) => `  ${v}: 说明`).join('\n')}\n---\n`;

describe('prompts/', () => {
  test('every prompt loads, in Chinese, with the variables the code fills in', async () => {
    const prompts = loadPrompts();
    for (const [name, vars] of Object.entries(PROMPT_VARIABLES)) {
      const p = prompts[name as keyof typeof prompts];
      expect([...p.template.inputVariables].sort()).toEqual([...vars].sort());
      const values = Object.fromEntries(vars.map((v) => [v, `«${v}»`]));
      const messages = await p.template.formatMessages(values);
      expect(messages.map((m) => m.getType())).toEqual(['system', 'human']);
      expect(String(messages[0]?.content)).toMatch(/[\u4e00-\u9fff]{10}/);
      // Values go in as they are (no HTML escaping of what the user typed).
      for (const v of vars) expect(messages.map((m) => String(m.content)).join('')).toContain(`«${v}»`);
    }
  });

  test('a variable used but not declared, declared but unused, or missing is refused with the file named', () => {
    const vars = [...PROMPT_VARIABLES.answer];
    const body = `[system]\n${vars.filter((v) => v !== 'question').map((v) => `{{${v}}}`).join('\n')}\n[user]\n{{question}}`;
    expect(() => parsePrompt('answer', FRONT(vars) + body)).not.toThrow();
    expect(() => parsePrompt('answer', FRONT(vars) + body + '{{secret}}')).toThrow(/\{\{secret\}\} is used but not declared/);
    expect(() => parsePrompt('answer', FRONT([...vars, 'extra']) + body)).toThrow(/extra is declared but the code does not fill it in/);
    expect(() => parsePrompt('answer', FRONT(vars) + body.replace('{{history}}', ''))).toThrow(/history is declared but not used/);
    expect(() => parsePrompt('answer', FRONT(vars) + body.replace('[user]', '[usr]'))).toThrow(PromptError);
    expect(() => parsePrompt('answer', body)).toThrow(/front matter/);
  });
});

describe('LLM settings', () => {
  test('absent: fully offline', () => {
    expect(loadConfig({}).llm).toBeUndefined();
  });

  test('a base URL and a model: configured, with sensible bounds', () => {
    const c = loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1/', OPENAI_MODEL: 'qwen-plus' });
    expect(c.llm).toMatchObject({ baseUrl: 'http://127.0.0.1:8000/v1', model: 'qwen-plus', timeoutMs: 8000, maxConcurrent: 4, dailyTokens: 2_000_000, structuredOutput: 'auto', stream: false });
    expect(loadConfig({ OPENAI_API_KEY: 'sk-x', OPENAI_MODEL: 'gpt-4o-mini', LLM_STREAM: 'true', LLM_DAILY_TOKENS: '0' }).llm).toMatchObject({ apiKey: 'sk-x', stream: true, dailyTokens: 0 });
  });

  test('bad settings are refused, naming the setting', () => {
    expect(() => loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1' })).toThrow(/OPENAI_MODEL/);
    expect(() => loadConfig({ OPENAI_MODEL: 'qwen' })).toThrow(/OPENAI_BASE_URL/);
    expect(() => loadConfig({ OPENAI_BASE_URL: 'ftp://x', OPENAI_MODEL: 'm' })).toThrow(ConfigError);
    expect(() => loadConfig({ OPENAI_BASE_URL: 'http://x', OPENAI_MODEL: 'm', LLM_TIMEOUT_MS: '5' })).toThrow(/LLM_TIMEOUT_MS/);
    expect(() => loadConfig({ OPENAI_BASE_URL: 'http://x', OPENAI_MODEL: 'm', LLM_STRUCTURED_OUTPUT: 'xml' })).toThrow(/LLM_STRUCTURED_OUTPUT/);
  });
});

describe('placeholders', () => {
  test('numbers and known values are replaced, the same value by the same placeholder, and put back', () => {
    const p = placeholders([{ label: '地址', value: '奈曼旗大沁他拉镇民主路12号' }, { label: '姓名或名称', value: '张桂兰' }]);
    const masked = p.mask('张桂兰，身份证11010519491231002X，手机138-1234-5678，再说一遍13812345678，座机0475-4212345，代码92150525MA00000013，地址奈曼旗大沁他拉镇民主路12号');
    expect(masked).toBe('〔姓名或名称1〕，身份证〔身份证号1〕，手机〔手机号1〕，再说一遍〔手机号2〕，座机〔电话1〕，代码〔信用代码1〕，地址〔地址1〕');
    expect(p.restore('请〔姓名或名称1〕带上身份证到〔地址1〕附近的窗口')).toBe('请张桂兰带上身份证到奈曼旗大沁他拉镇民主路12号附近的窗口');
    expect(p.restore('〔不认识1〕')).toBe('〔不认识1〕');
  });
});
