/** The agent's summary of a handed-off conversation is computed as things stand, the case included. */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.ts';
import { currentSummary } from '../../src/handoff/agentHandoffs.ts';

const catalog = loadCatalog();

describe('the handoff summary', () => {
  it('before submitting: the permits as the answers decide them now', () => {
    const summary = currentSummary(catalog, { stage: 'guided', region: 'naiman', industry: 'convenience_store', answers: { sells_tobacco: true, sells_medicine: false } });
    expect(summary).toContain('地区：奈曼旗；行业：便利店；进展：已了解所需许可');
    expect(summary).toContain('烟草专卖零售许可证核发');
    expect(summary).not.toContain('办件号');
  });

  it('after submitting: the case number, each item as it stands and the licence, not the application number', () => {
    const summary = currentSummary(
      catalog,
      { stage: 'submitted', region: 'naiman', industry: 'convenience_store', answers: {}, applicationNumber: 'SQ0001' },
      { number: 'BJ20261201000001', items: [{ name: '食品经营许可', status: 'approved' }, { name: '公共场所卫生许可', status: 'needs_correction' }], licences: [{ number: 'NM-2026-0001', status: 'valid' }] },
    );
    expect(summary).toContain('办件号：BJ20261201000001');
    expect(summary).toContain('食品经营许可（已许可）、公共场所卫生许可（待补正材料）');
    expect(summary).toContain('综合许可证：NM-2026-0001（有效）');
    expect(summary).not.toContain('SQ0001');
  });

  it('a damaged stored state is a fresh start, not an error', () => {
    expect(currentSummary(catalog, 'garbage')).toBe('地区：未选；行业：未确定；进展：刚开始');
  });
});
