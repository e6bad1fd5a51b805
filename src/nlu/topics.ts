/**
 * Which permits and materials a message names: the names and aliases of the registry's permits and of
 * the regions' own, every region's item wording and its words for registry permits (`permitOverrides`),
 * and the everyday words of `data/lexicon/topics.yaml` (烟草证, 健康证). Longest match wins.
 */
import type { Catalog } from '../catalog/load.ts';
import type { TopicsFile } from './lexicon.ts';
import { normalize } from './normalize.ts';
import { createPhraseIndex } from './phrases.ts';
import type { Topic } from './reading.ts';

export interface TopicMatcher {
  /** `text` is normalised; `spans` are where the names stand (a permit's name states no fact: 烟草证). */
  match(text: string): { topic: Topic; spans: { start: number; end: number }[] };
}

export function createTopicMatcher(catalog: Catalog, file: TopicsFile): TopicMatcher {
  const forms: { form: string; kind: 'permits' | 'materials'; id: string }[] = [];
  const add = (kind: 'permits' | 'materials', id: string, words: readonly string[]) => {
    for (const w of words) {
      const form = normalize(w);
      if (form.length >= 2) forms.push({ form, kind, id });
      // 「排水证」 is also 「排水那个证」「排水的证」, 「消防证」 also 「消防那个」.
      // 「户外广告审批」 also 「户外广告那个审批」.
      const heads = kind === 'permits' ? [/^(.{2,}?)(?:许可证|证)$/u.exec(form)?.[1], /^(.{2,})证$/u.exec(form)?.[1]] : [];
      for (const head of new Set(heads)) {
        if (head) for (const tail of ['那个证', '的证', '那个许可证', '那个许可', '那个']) forms.push({ form: head + tail, kind, id });
      }
      const act = kind === 'permits' ? /^(.{2,}?)(审批|许可|备案|登记)$/u.exec(form) : null;
      if (act?.[1] && act[2]) for (const tail of [`那个${act[2]}`, `的${act[2]}`]) forms.push({ form: act[1] + tail, kind, id });
    }
  };
  for (const permit of catalog.permits.values()) {
    // 「驻唱演出备案」 for 「驻唱演出备案（试行）」: the name without what its brackets add.
    add('permits', permit.id, [permit.name, permit.name.replace(/（.*?）|\(.*?\)/gu, ''), ...permit.aliases, ...(file.permits[permit.id] ?? [])]);
  }
  for (const region of catalog.regions) {
    for (const industry of region.industries) for (const item of industry.items) add('permits', item.permit, [item.name]);
    // A county's own wordings and everyday names for registry permits (its 卫生证, 烟证).
    for (const [id, override] of Object.entries(region.permitOverrides)) add('permits', id, [...override.aliases, ...override.colloquial]);
  }
  for (const material of catalog.materials.values()) {
    add('materials', material.id, [material.name, material.name.replace(/（.*?）/g, ''), ...(file.materials[material.id] ?? [])]);
  }
  forms.sort((a, b) => b.form.length - a.form.length);
  const index = createPhraseIndex(forms.map((f) => f.form));

  return {
    match(text) {
      const topic: Topic = { permits: [], materials: [] };
      const taken: { start: number; end: number }[] = [];
      // Longest form first, each where it stands in the text.
      for (const { word, start: at, end } of index.find(text)) {
        const form = forms[word];
        if (!form || taken.some((t) => at < t.end && end > t.start)) continue;
        taken.push({ start: at, end });
        if (!topic[form.kind].includes(form.id)) topic[form.kind].push(form.id);
      }
      return { topic, spans: taken };
    },
  };
}
