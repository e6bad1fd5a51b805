/**
 * The offline understander: lexicon matching, no model, no network. Deterministic and fast, so it
 * is the default and the fallback when an LLM is configured but unavailable.
 */
import { extractFacts } from './facts.ts';
import { createIndustryMatcher } from './industry.ts';
import type { Lexicon } from './lexicon.ts';
import { mask, normalize } from './normalize.ts';
import { findRegionMentions } from './region.ts';
import type { Understander, Understanding, UnderstandContext } from './types.ts';

export function createOfflineUnderstander(lexicon: Lexicon): Understander {
  const industries = createIndustryMatcher(lexicon.industries);
  return {
    understand(text: string, ctx: UnderstandContext): Understanding {
      let normalized = normalize(text);
      // Place names are masked so their characters are not read as trades or facts (小店镇).
      const regionMentions = findRegionMentions(normalized, ctx.regions);
      for (const m of regionMentions) normalized = mask(normalized, m.start, m.end);

      const found = industries.match(normalized, ctx.industries);
      const { answers, fields } = extractFacts(normalized, lexicon.facts, found.industry?.id ?? null);
      const understanding: Understanding = { industry: found.industry, candidates: found.candidates, answers, fields };
      if (found.outOfCatalog) understanding.outOfCatalog = found.outOfCatalog;
      const region = regionMentions[0]?.regionId;
      if (region) understanding.region = region;
      return understanding;
    },
  };
}
