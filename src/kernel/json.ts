/** JSON documents the system wrote, read back without trusting their shape. */

/** A JSON object as a record of its entries; anything else (an array, a scalar, null) reads as empty. */
export function jsonObjectOf(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value));
}
