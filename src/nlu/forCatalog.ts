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
  const industriesOf = (regionId: string) =>
    (catalog.regions.find((r) => r.id === regionId)?.industries ?? []).map((i) => ({ id: i.id, name: i.name }));

  return {
    async understand(text, regionId) {
      if (regionId) return impl.understand(text, { regionId, industries: industriesOf(regionId), regions });
      // No region yet: let the text name one, then understand the trade against that region's catalog.
      const first = await impl.understand(text, { industries: [], regions });
      if (!first.region) return first;
      return impl.understand(text, { regionId: first.region, industries: industriesOf(first.region), regions });
    },
  };
}
