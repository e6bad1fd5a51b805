/**
 * The reader over the real catalogs, for the NLU tests: `understand(text, region)` reads a message in a
 * conversation whose region is known.
 */
import { loadCatalog } from '../../src/catalog/load.ts';
import { createReader, type Reading } from '../../src/nlu/index.ts';

const reader = createReader(loadCatalog());

export function understand(text: string, region: 'xinxiang' | 'naiman' = 'naiman'): Reading {
  return reader.read(text, { regionId: region });
}

/** A reading before any region is known. */
export function readFresh(text: string): Reading {
  return reader.read(text);
}
