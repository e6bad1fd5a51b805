/**
 * Recognising a region from its name, an alias or a place inside it (大沁他拉 → 奈曼旗).
 */
import { normalize } from './normalize.ts';
import { createPhraseIndex } from './phrases.ts';
import type { RegionRef } from './types.ts';

// Administrative suffixes people often leave out: 奈曼旗 → 奈曼, 大沁他拉镇 → 大沁他拉.
const SUFFIXES = ['经济技术开发区', '街道办事处', '开发区', '经开区', '街道', '苏木', '旗', '县', '市', '区', '镇', '乡'];

export interface RegionMention {
  regionId: string;
  start: number;
  end: number;
}

export interface RegionFinder {
  /** All region mentions in normalised `text`, longest forms first, without overlaps, by position. */
  find(text: string): RegionMention[];
}

/** Every form each region may be named by, compiled once per catalog. */
export function createRegionFinder(regions: RegionRef[]): RegionFinder {
  const forms = regionForms(regions);
  const index = createPhraseIndex(forms.map((f) => f.form));
  return {
    find(text) {
      const taken: RegionMention[] = [];
      // Longest form first, each where it stands in the text.
      for (const { word, start: at, end } of index.find(text)) {
        const form = forms[word];
        if (!form) continue;
        if (form.latin && (LATIN_LETTER.test(text[at - 1] ?? '') || LATIN_LETTER.test(text[end] ?? ''))) continue;
        if (taken.some((t) => at < t.end && end > t.start)) continue;
        taken.push({ regionId: form.regionId, start: at, end });
      }
      return taken.sort((a, b) => a.start - b.start);
    },
  };
}

const LATIN_LETTER = /[a-z]/;

/** Every form a region may be named by, longest first. */
function regionForms(regions: RegionRef[]): { form: string; regionId: string; latin: boolean }[] {
  const forms: { form: string; regionId: string; latin: boolean }[] = [];
  const add = (form: string, regionId: string) => forms.push({ form, regionId, latin: /^[a-z]/.test(form) });
  for (const region of regions) {
    for (const raw of [region.name, ...region.aliases]) {
      for (const form of variants(normalize(raw), 2)) add(form, region.id);
    }
    // A place's bare stem must be longer: 治安镇 is a town, 治安 is a common word.
    for (const raw of region.places) {
      for (const form of variants(normalize(raw), 3)) add(form, region.id);
    }
  }
  forms.sort((a, b) => b.form.length - a.form.length);
  return forms;
}

function variants(form: string, minStem: number): string[] {
  const out = new Set<string>();
  if (form.length >= 2) out.add(form);
  for (const suffix of SUFFIXES) {
    if (form.endsWith(suffix) && form.length - suffix.length >= minStem) out.add(form.slice(0, -suffix.length));
  }
  return [...out];
}
