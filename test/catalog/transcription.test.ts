import { describe, expect, it } from 'vitest';
import { yiyeJson } from '../cliHarness.ts';
import { naimanRows, xinxiangRows, type SeedRow } from '../seedTables.ts';

interface CatalogOut {
  id: string;
  name: string;
  document: { number: string; date: string };
  industries: { seq: number; name: string; items: { name: string; department: string; note?: string }[] }[];
}

const flatten = (c: CatalogOut): SeedRow[] =>
  c.industries.flatMap((i) =>
    i.items.map((item) => ({ seq: i.seq, industry: i.name, item: item.name, department: item.department, note: item.note ?? '' })),
  );

describe('yiye catalog --json reproduces each document’s catalog exactly', () => {
  it('奈曼旗: all 15 industries of 附件1, every item, department and note as written', async () => {
    const out = await yiyeJson<CatalogOut>(['catalog', '--region', '奈曼旗']);
    expect(out.__code).toBe(0);
    expect(out.document).toMatchObject({ number: '奈政办字〔2024〕30号', date: '2024-07-29' });
    expect(out.industries).toHaveLength(15);
    expect(flatten(out)).toEqual(naimanRows());
  });

  it('新乡经开区: all 11 industries of 附件2, every item, department and note as written', async () => {
    const out = await yiyeJson<CatalogOut>(['catalog', '--region', 'xinxiang']);
    expect(out.__code).toBe(0);
    expect(out.document).toMatchObject({ number: '新经开办〔2022〕23号', date: '2022-12-28' });
    expect(out.industries).toHaveLength(11);
    expect(flatten(out)).toEqual(xinxiangRows());
  });

  it('names a region by id, Chinese name or alias, and refuses an unknown one', async () => {
    for (const name of ['naiman', '奈曼旗', '奈曼']) {
      const out = await yiyeJson<CatalogOut>(['catalog', '--region', name]);
      expect(out.id).toBe('naiman');
    }
    const { yiye } = await import('../cliHarness.ts');
    const bad = await yiye(['catalog', '--region', '火星']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('未找到地区「火星」');
    expect(bad.stderr).toContain('奈曼旗');
  });
});
