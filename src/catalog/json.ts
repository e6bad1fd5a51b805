/** The JSON shape of a region's catalog, shared by `yiye catalog --json` and `GET /api/catalog/:region`. */
import type { Region } from './schema.ts';

export function catalogJson(region: Region) {
  return {
    id: region.id,
    name: region.name,
    fullName: region.fullName,
    document: region.document,
    window: region.window.name,
    hotline: region.hotline?.number ?? null,
    industries: region.industries.map((industry) => ({
      seq: industry.seq,
      id: industry.id,
      name: industry.name,
      items: industry.items.map((item) => ({
        name: item.name,
        permit: item.permit,
        department: item.department,
        departmentFullName: region.departments[item.department]?.fullName ?? item.department,
        ...(item.note ? { note: item.note } : {}),
        conditional: item.when !== undefined,
      })),
    })),
  };
}
