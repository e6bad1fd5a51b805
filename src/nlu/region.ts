/**
 * Recognising a region from its name, an alias or a place inside it (大沁他拉 → 奈曼旗).
 */
import { normalize } from './normalize.ts';
import type { RegionRef } from './types.ts';

// Administrative suffixes people often leave out: 奈曼旗 → 奈曼, 大沁他拉镇 → 大沁他拉.
const SUFFIXES = ['经济技术开发区', '街道办事处', '开发区', '经开区', '街道', '苏木', '旗', '县', '市', '区', '镇', '乡'];

export interface RegionMention {
  regionId: string;
  start: number;
  end: number;
}

export type RegionForms = { form: string; regionId: string }[];

/** All region mentions in normalised `text`, longest forms first, without overlaps, by position. */
export function findRegionMentions(text: string, regions: RegionRef[] | RegionForms): RegionMention[] {
  const forms = isForms(regions) ? regions : regionForms(regions);
  const taken: RegionMention[] = [];
  for (const { form, regionId } of forms) {
    for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) {
      const end = at + form.length;
      if (/^[a-z]/.test(form) && (/[a-z]/.test(text[at - 1] ?? '') || /[a-z]/.test(text[end] ?? ''))) continue;
      if (taken.some((t) => at < t.end && end > t.start)) continue;
      taken.push({ regionId, start: at, end });
    }
  }
  return taken.sort((a, b) => a.start - b.start);
}

function isForms(value: RegionRef[] | RegionForms): value is RegionForms {
  return value.length > 0 && 'form' in (value[0] as object);
}

/** Every form a region may be named by, longest first: built once per catalog. */
export function regionForms(regions: RegionRef[]): RegionForms {
  const forms: RegionForms = [];
  for (const region of regions) {
    for (const raw of [region.name, ...region.aliases]) {
      for (const form of variants(normalize(raw), 2)) forms.push({ form, regionId: region.id });
    }
    // A place's bare stem must be longer: 治安镇 is a town, 治安 is a common word.
    for (const raw of region.places) {
      for (const form of variants(normalize(raw), 3)) forms.push({ form, regionId: region.id });
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
