/** The starter file of `yiye catalog new` loads and lints with no error, and its warnings are the placeholders. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { lintCatalog } from '../../src/catalog/lint.ts';
import { loadCatalog } from '../../src/catalog/load.ts';
import { starterRegion } from '../../src/catalog/template.ts';
import { tempDir } from '../server/serverProcess.ts';

function lintText(text: string) {
  const file = path.join(tempDir('yiye-template-'), 'region.yaml');
  writeFileSync(file, text);
  const catalog = loadCatalog({ onlyFiles: [file] });
  return { catalog, findings: lintCatalog(catalog) };
}

describe('the starter region file', () => {
  it('loads and lints with no error; its one warning is the placeholders, its info the unknowns', () => {
    const { catalog, findings } = lintText(starterRegion());
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(findings.filter((f) => f.level === 'warning').map((f) => f.message)).toEqual([expect.stringContaining('placeholder 某某')]);
    expect(findings.filter((f) => f.level === 'info').map((f) => f.path)).toEqual(['hotline', 'timeRule', 'licenceRules']);
    const [region] = catalog.regions;
    expect(region?.industries[0]?.items.map((i) => [i.permit, Boolean(i.when)])).toEqual([
      ['food_business_licence', false],
      ['tobacco_retail_licence', true],
    ]);
    // unknown is read as absent, not as the text "unknown".
    expect(region?.departments['烟草专卖局']?.fullName).toBeUndefined();
    expect(region?.document.date).toBeUndefined();
  });

  it('takes the id and the name, quoting a name YAML would misread', () => {
    const text = starterRegion({ id: 'kailu', name: '开鲁县: 试点' });
    const raw = parse(text) as { id: string; name: string; fullName: string };
    expect(raw).toMatchObject({ id: 'kailu', name: '开鲁县: 试点', fullName: '某某省某某市开鲁县: 试点' });
    expect(lintText(text).findings.filter((f) => f.level === 'error')).toEqual([]);
  });

  it('comments every top-level key', () => {
    const text = starterRegion();
    const keys = Object.keys(parse(text) as object);
    for (const key of keys) expect(text).toMatch(new RegExp(`^${key}:.*#|#.*\\n${key}:`, 'm'));
  });
});
