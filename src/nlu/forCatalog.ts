/**
 * Binds an {@link Understander} to the loaded catalogs: it supplies the region's industries and every
 * region's names and places, and finds the region first when the conversation has none yet.
 */
import path from 'node:path';
import { DEFAULT_DATA_DIR, type Catalog } from '../catalog/load.ts';
import { loadLexicon } from './lexicon.ts';
import { createOfflineUnderstander } from './offline.ts';
import type { RegionRef, Understander, Understanding } from './types.ts';

export interface CatalogUnderstander {
  understand(text: string, regionId?: string): Promise<Understanding>;
}

export function createUnderstander(catalog: Catalog, understander?: Understander): CatalogUnderstander {
  const impl = understander ?? createOfflineUnderstander(loadLexicon(path.join(DEFAULT_DATA_DIR, 'lexicon')));
  const regions: RegionRef[] = catalog.regions.map((r) => ({
    id: r.id,
    name: r.name,
    aliases: [r.fullName, ...r.aliases],
    places: r.places,
  }));
  const allIndustries = [
    ...new Map(catalog.regions.flatMap((r) => r.industries.map((i) => [i.id, { id: i.id, name: i.name }] as const))).values(),
  ];
  const industriesOf = (regionId: string) =>
    (catalog.regions.find((r) => r.id === regionId)?.industries ?? []).map((i) => ({ id: i.id, name: i.name }));

  return {
    async understand(text, regionId) {
      if (regionId) return impl.understand(text, { regionId, industries: industriesOf(regionId), regions });
      // No region yet: understand against every region's industries (so the trade is still found), and
      // if the text names a region, again against that region's own catalog.
      const first = await impl.understand(text, { industries: allIndustries, regions });
      if (!first.region) return first;
      return impl.understand(text, { regionId: first.region, industries: industriesOf(first.region), regions });
    },
  };
}
