/**
 * The knowledge index on the real catalog: the documents' clauses are read whole and numbered as the
 * documents number them; every quote an FAQ entry rests on is the document's own words; retrieval finds
 * the clause or permit fact that answers a plainly put question, narrowed by what the question names, and
 * finds nothing (rather than something wrong) for what the documents do not cover.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR, loadCatalog } from '../../src/catalog/load.ts';
import { parseClauses } from '../../src/catalog/clauses.ts';
import { knowledgeFor, type KnowledgeQuery } from '../../src/knowledge/index.ts';
import { createReader } from '../../src/nlu/reader.ts';

const catalog = loadCatalog();
const knowledge = knowledgeFor(catalog);
const reader = createReader(catalog);
const top = (query: KnowledgeQuery) => knowledge.search(query)[0]?.passage;

describe('the documents, clause by clause', () => {
  it('numbers 奈曼旗 二（一）…（七） and 新乡经开区 三（一）…（十） as the documents do, wrapped lines joined', () => {
    const naiman = catalog.clauses.get('naiman') ?? [];
    expect(naiman.filter((c) => c.ref.startsWith('二（')).map((c) => c.ref)).toEqual(['二（一）', '二（二）', '二（三）', '二（四）', '二（五）', '二（六）', '二（七）']);
    expect(naiman.find((c) => c.ref === '二（七）')?.text).toContain('可先颁发行业综合许可证并注明未许可事项');
    expect(naiman.find((c) => c.ref === '一')?.heading).toBe('总体目标');
    const xinxiang = catalog.clauses.get('xinxiang') ?? [];
    expect(xinxiang.filter((c) => c.ref.startsWith('三（')).length).toBe(10);
    expect(xinxiang.find((c) => c.ref === '三（五）')?.text).toContain('证照免费寄递');
    // 「发\n\n挥」 in the extraction is one word again.
    expect(xinxiang.find((c) => c.ref === '二（一）')?.text).toContain('发挥“一枚印章管审批”制度优势');
    // The attachments (the leading group, the catalog) are not clauses.
    expect(xinxiang.some((c) => c.text.includes('张占国'))).toBe(false);
  });

  it('a text with no numbered clause gives none', () => {
    expect(parseClauses('通知\n\n请认真贯彻执行。')).toEqual([]);
  });

  it('every quote from a region document is in that document, word for word', () => {
    for (const region of catalog.regions) {
      const file = path.join(DEFAULT_DATA_DIR, 'regions', region.document.text ?? '');
      const text = readFileSync(file, 'utf8').replace(/\s+/gu, '');
      const quotes = [
        ...region.reformFaq.flatMap((f) => f.sources),
        ...region.window.sources,
        ...(region.licenceRules?.sources ?? []),
      ].filter((s) => s.title === region.document.title && s.quote);
      expect(quotes.length).toBeGreaterThan(10);
      for (const s of quotes) expect(text, `${region.id}: ${s.quote}`).toContain((s.quote ?? '').replace(/\s+/gu, ''));
    }
  });
});

describe('retrieval', () => {
  it('finds the clause or FAQ entry a plainly put question is about, citing the clause', () => {
    expect(top({ text: '证办下来能直接寄给我吗', region: 'xinxiang' })?.sources[0]?.ref).toBe('三（五）');
    expect(top({ text: '这个综合许可证在旗里别的乡镇也认吗', region: 'naiman' })?.sources[0]?.ref).toBe('二（六）');
    expect(top({ text: '有一个许可还卡着没批，能先把综合证给我吗', region: 'naiman' })?.sources[0]?.ref).toBe('二（七）');
    expect(top({ text: '开业以后会不会隔三岔五就有部门来查', region: 'xinxiang' })?.sources[0]?.ref).toBe('三（十）');
    expect(top({ text: '审批没通过我不服，该找谁', region: 'xinxiang' })?.sources[0]?.ref).toBe('二（三）');
  });

  it('a question naming a permit is answered about that permit, for the aspect it asks', () => {
    const fee = top({ text: '排水证要钱吗', region: 'naiman', permits: ['drainage_permit'], kinds: ['fees'] });
    expect(fee).toMatchObject({ permit: 'drainage_permit', aspect: 'fee' });
    const asked = reader.read('药店那个证几年要换一次', { regionId: 'xinxiang' });
    expect(asked.topic.permits).toEqual(['drug_retail_licence']);
    const validity = top({ text: asked.raw, region: 'xinxiang', permits: asked.topic.permits, kinds: asked.requests.map((q) => q.kind) });
    expect(validity).toMatchObject({ permit: 'drug_retail_licence', aspect: 'validity' });
  });

  it('the trade narrows the permits: a permit the trade does not have is not an answer', () => {
    const hits = knowledge.search({ text: '卫生许可证要什么材料', region: 'naiman', industryPermits: new Set(['food_business_licence']), kinds: ['materials'] });
    expect(hits.every((h) => h.passage.permit !== 'public_health_licence')).toBe(true);
  });

  it('what the documents do not cover finds nothing', () => {
    expect(knowledge.search({ text: '这条街房租一般多少', region: 'naiman' })).toEqual([]);
    expect(knowledge.search({ text: '营业执照一般几天能下来', region: 'naiman', materials: ['business_licence'], kinds: ['time'] })).toEqual([]);
    expect(knowledge.search({ text: '开奶茶店能赚钱吗', region: 'xinxiang' })).toEqual([]);
    expect(knowledge.search({ text: '', region: 'naiman' })).toEqual([]);
    expect(knowledge.search({ text: '？？？', region: 'naiman' })).toEqual([]);
  });

  it('each region answers from its own document only', () => {
    const hits = knowledge.search({ text: '能网上办吗', region: 'xinxiang', kinds: ['online'] });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.passage.region === 'xinxiang')).toBe(true);
  });
});
