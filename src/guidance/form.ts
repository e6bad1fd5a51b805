/**
 * The one merged form (一表申请): shared information once (共用信息共享应用), then what each item
 * needs on its own (个性信息单独填报), with counts before and after merging.
 */
import type { Catalog } from '../catalog/load.ts';
import { getPermit } from '../catalog/lookup.ts';
import type { Field } from '../catalog/schema.ts';
import type { Assessment } from './assess.ts';

export interface FormField extends Field {
  /** The items (region wording) that need this field. */
  neededBy: string[];
}

export interface MergedForm {
  common: FormField[];
  /** Item-specific sections; a field several items need stands once, under the first. */
  sections: { item: string; fields: FormField[] }[];
  counts: { fieldsBefore: number; fieldsAfter: number };
}

export function buildForm(catalog: Catalog, assessment: Assessment): MergedForm {
  const required = assessment.items.filter((i) => i.status === 'required');
  const neededBy = new Map<string, string[]>();
  let fieldsBefore = 0;
  for (const item of required) {
    for (const id of getPermit(catalog, item.permitId, assessment.region).fields) {
      fieldsBefore += 1;
      neededBy.set(id, [...(neededBy.get(id) ?? []), item.name]);
    }
  }
  const withUse = (field: Field): FormField => ({ ...field, neededBy: neededBy.get(field.id) ?? [] });
  // Common fields in registry order: those the required items need, asked once.
  const common = [...catalog.fields.values()].filter((f) => f.common && neededBy.has(f.id)).map(withUse);
  const placed = new Set(common.map((f) => f.id));
  const sections: MergedForm['sections'] = [];
  for (const item of required) {
    const fields: FormField[] = [];
    for (const id of getPermit(catalog, item.permitId, assessment.region).fields) {
      const field = catalog.fields.get(id);
      if (!field || placed.has(id)) continue;
      placed.add(id);
      fields.push(withUse(field));
    }
    if (fields.length) sections.push({ item: item.name, fields });
  }
  // What the region's document adds to the form (how the licence is delivered), asked last.
  const own = assessment.region.formFields.flatMap((f) => {
    const field = catalog.fields.get(f.field);
    return field && !placed.has(field.id) ? [{ ...field, neededBy: [] }] : [];
  });
  if (own.length) sections.push({ item: '证照送达', fields: own });
  return { common, sections, counts: { fieldsBefore: fieldsBefore + own.length, fieldsAfter: placed.size + own.length } };
}

/** Every field of the form in asking order. */
export function formFields(form: MergedForm): FormField[] {
  return [...form.common, ...form.sections.flatMap((s) => s.fields)];
}
