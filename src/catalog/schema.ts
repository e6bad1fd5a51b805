/**
 * The shape of the knowledge files, validated with zod at load time.
 *
 * Two kinds of file:
 * - the permit registry (`data/permits.yaml`): shared materials, form fields and permits, each permit
 *   with its legal basis, materials, fields, time limit, inspection, fee and validity, all sourced;
 * - one region file per county (`data/regions/*.yaml`, plus `CATALOG_DIR`): the region's own
 *   document, its rules, its questions and its catalog of industries and items in its own wording.
 *
 * `docs/catalog-format.md` documents these for people who add a county.
 */
import { z } from 'zod';

const id = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'must be a lower-case id: letters, digits and _ (e.g. food_business_licence)');
const text = z.string().trim().min(1, 'must not be empty');

/** Where a fact comes from: a law, a regulation, an official guide or the region's own document. */
export const sourceSchema = z.strictObject({
  title: text,
  /** Article, section or table row, e.g. 第三十五条. */
  article: text.optional(),
  /** Where a reader can find it (URL or repository path). */
  url: text.optional(),
  /** The words of the source this entry relies on. */
  quote: text.optional(),
  /** H: read in the source; M: partial or secondary source; L: not found in a source, to verify. */
  confidence: z.enum(['H', 'M', 'L']).default('H'),
});
export type Source = z.infer<typeof sourceSchema>;
const sources = z.array(sourceSchema).min(1, 'needs at least one source');

// ---------------------------------------------------------------------------------------------------
// Conditions over answers. Three-valued when evaluated: true, false, or unknown (not yet answered).
// ---------------------------------------------------------------------------------------------------

export type Condition =
  | { q: string; eq: string | number | boolean }
  | { q: string; ne: string | number | boolean }
  | { q: string; in: (string | number | boolean)[] }
  | { q: string; gt: number }
  | { q: string; gte: number }
  | { q: string; lt: number }
  | { q: string; lte: number }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

const scalar = z.union([z.string(), z.number(), z.boolean()]);
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ q: id, eq: scalar }),
    z.strictObject({ q: id, ne: scalar }),
    z.strictObject({ q: id, in: z.array(scalar).min(1) }),
    z.strictObject({ q: id, gt: z.number() }),
    z.strictObject({ q: id, gte: z.number() }),
    z.strictObject({ q: id, lt: z.number() }),
    z.strictObject({ q: id, lte: z.number() }),
    z.strictObject({ all: z.array(conditionSchema).min(1) }),
    z.strictObject({ any: z.array(conditionSchema).min(1) }),
    z.strictObject({ not: conditionSchema }),
  ]),
);

// ---------------------------------------------------------------------------------------------------
// Permit registry
// ---------------------------------------------------------------------------------------------------

export const materialSchema = z.strictObject({
  id,
  name: text,
  /** What exactly is meant, accepted substitutes (e.g. 租赁合同 for 房产证), copies, signatures. */
  description: text.optional(),
  sources: sources.optional(),
});
export type Material = z.infer<typeof materialSchema>;

export const fieldTypeSchema = z.enum([
  'text',
  'address',
  'credit_code', // 统一社会信用代码, GB 32100-2015 check character
  'id_number', // 居民身份证号码, GB 11643-1999 check digit
  'mobile', // mainland mobile number
  'phone', // mobile or landline
  'number', // with `unit`, e.g. 平方米, 人
  'integer',
  'date',
  'choice', // one of `options`
  'multi_choice', // several of `options`
  'boolean',
]);
export type FieldType = z.infer<typeof fieldTypeSchema>;

export const optionSchema = z.strictObject({
  id,
  label: text,
  /** Other ways people say it, for understanding free answers. */
  synonyms: z.array(text).default([]),
});

export const fieldSchema = z.strictObject({
  id,
  label: text,
  /** Shorter ways people name the field (电话, 手机号 for 联系电话), for corrections in chat. */
  aliases: z.array(text).default([]),
  type: fieldTypeSchema,
  /** Shared by the whole application (共用信息) or specific to the permits that list it. */
  common: z.boolean().default(false),
  required: z.boolean().default(true),
  unit: text.optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  maxLength: z.number().int().positive().optional(),
  options: z.array(optionSchema).optional(),
  /** Personal data: masked in logs, listings and anything sent to an LLM. */
  personal: z.boolean().default(false),
  /** Asked only when another field of the form has this value (a postal address only for delivery by post). */
  when: z.strictObject({ field: id, eq: z.union([z.string(), z.number(), z.boolean()]) }).optional(),
  help: text.optional(),
  sources: sources.optional(),
});
export type Field = z.infer<typeof fieldSchema>;

export const permitMaterialSchema = z.strictObject({
  id,
  /** What this permit in particular asks of the material (e.g. 直接接触入口食品从业人员的健康证明). */
  note: text.optional(),
  /** Needed only in this situation (e.g. a vending machine). Unknown situations list it with the note. */
  when: conditionSchema.optional(),
  required: z.boolean().default(true),
});

export const permitSchema = z.strictObject({
  id,
  /** The national or general name of the permit. */
  name: text,
  /** Other official wordings regions use for the same permit (e.g. 排水许可证). */
  aliases: z.array(text).default([]),
  /**
   * Permits that are forms of one another (食品经营许可, 小经营店登记, 备案, 内蒙古的食品生产经营登记): a trade
   * that has one has the matter covered, so the others are not said to be missing from its catalog.
   */
  family: id.optional(),
  kind: z.enum(['许可', '备案', '登记', '审批', '检查']),
  /** The authority the law names (regions name their own department). */
  authority: text,
  /** What it is for, in one sentence the public understands. */
  summary: text,
  legalBasis: sources,
  materials: z.array(permitMaterialSchema).min(1),
  /** Form field ids this permit needs (common ones included). */
  fields: z.array(id).min(1),
  timeLimit: z.strictObject({
    /** Statutory time limit for the decision, in working days (工作日); absent when no source states one. */
    workingDays: z.number().int().positive().optional(),
    /** Extension the law allows, in working days. */
    extensionWorkingDays: z.number().int().nonnegative().default(0),
    /** Done on the spot when the materials are complete (当场办理 / 告知承诺). */
    onTheSpot: z.boolean().default(false),
    /** A deadline the applicant must keep (e.g. 开展网上发行之日起15日内备案), not the authority's. */
    applicantDeadline: text.optional(),
    note: text.optional(),
    sources,
  }),
  inspection: z.strictObject({
    /**
     * always: on-site inspection before the decision; sometimes: when needed or by sampling; after: after
     * issuing (告知承诺); never; unknown: no source says.
     */
    required: z.enum(['always', 'sometimes', 'never', 'after', 'unknown']),
    note: text.optional(),
    sources,
  }),
  fee: z.strictObject({
    /** Free of charge; `unknown` where no source says (以窗口告知为准). */
    free: z.preprocess((v) => (v === 'unknown' ? null : v), z.boolean().nullable()),
    note: text.optional(),
    sources,
  }),
  validity: z
    .strictObject({
      years: z.number().positive().optional(),
      /** A maximum term (不超过N年) where the authority sets the actual one. */
      maxYears: z.number().positive().optional(),
      /** When the permit has no fixed term. */
      indefinite: z.boolean().optional(),
      renewal: text.optional(),
      note: text.optional(),
      sources,
    })
    .optional(),
  /** Known answers to common questions, grounded in the sources (used by the dialogue). */
  faq: z
    .array(z.strictObject({ question: text, answer: text, sources }))
    .default([]),
});
export type Permit = z.infer<typeof permitSchema>;

export const registrySchema = z.strictObject({
  version: z.literal(1),
  materials: z.array(materialSchema).min(1),
  fields: z.array(fieldSchema).min(1),
  permits: z.array(permitSchema).min(1),
});
export type Registry = z.infer<typeof registrySchema>;

// ---------------------------------------------------------------------------------------------------
// Region catalog
// ---------------------------------------------------------------------------------------------------

export const questionSchema = z.strictObject({
  id,
  /** The question as asked, in plain Chinese. */
  text,
  /**
   * Words that answer the question inside a free sentence (「我们要办营业性演出」 → yes), beyond the
   * options' synonyms; a yes word negated (不搞演出) counts as no. Used by the offline reader.
   */
  answers: z
    .strictObject({
      yes: z.array(text).default([]),
      no: z.array(text).default([]),
    })
    .optional(),
  /** What people call the matter the question is about (大型户外广告 → 广告牌), to find its help. */
  aliases: z.array(text).default([]),
  type: z.enum(['boolean', 'number', 'choice']),
  unit: text.optional(),
  options: z.array(optionSchema).optional(),
  /** Why it matters / how to tell, shown when the user asks or is unsure. */
  help: text.optional(),
  /** A form field the answer also fills (e.g. an area answer fills 经营面积). */
  fillsField: id.optional(),
  sources: sources.optional(),
});
export type Question = z.infer<typeof questionSchema>;

export const itemSchema = z.strictObject({
  /** Registry permit id. */
  permit: id,
  /** The item exactly as the region's document writes it. */
  name: text,
  /** Department as the document writes it (a key of `departments`). */
  department: text,
  /** The note column exactly as written (按需办理, 按要求办理, the 个体工商户 note). */
  note: text.optional(),
  /** Needed only when this holds; absent means always needed. */
  when: conditionSchema.optional(),
  /** Why the item is needed when `when` holds, and why not otherwise, in plain Chinese. */
  whyNeeded: text.optional(),
  whyNotNeeded: text.optional(),
  /**
   * Words of caution shown with the item when their condition holds: where the catalog lists an item
   * unconditionally but the law says something the applicant should know (e.g. 仅销售预包装食品 → 备案).
   */
  caveats: z.array(z.strictObject({ when: conditionSchema, text, sources })).default([]),
  /** Items sharing a group are alternatives: at most one of them applies (e.g. 食品经营许可 / 小经营店登记 / 备案). */
  group: id.optional(),
  /** The sources of the condition when it is an interpretation of law rather than the region's note. */
  conditionSources: sources.optional(),
});
export type Item = z.infer<typeof itemSchema>;

export const industrySchema = z.strictObject({
  id,
  /** 序号 in the document's catalog. */
  seq: z.number().int().positive(),
  /** The industry name exactly as the document writes it. */
  name: text,
  /** Other official names for the trade (茶叶零售 for 茶叶店). */
  aliases: z.array(text).default([]),
  /** What people there call it (茶庄, 茶叶铺): found in free text like the name. */
  colloquial: z.array(text).default([]),
  /** What the trade does (卖茶叶): counted only when no trade name is in the message. */
  activities: z.array(text).default([]),
  /**
   * The trade concept(s) of `data/lexicon/industries.yaml` this industry is (their everyday words then
   * find it), when its id is not the concept's own: `tea_retail` that is the lexicon's `tea_leaf_shop`, or
   * `[milk_tea, cafe_teahouse]` for one industry that covers both.
   */
  concept: z.union([id, z.array(id).min(1)]).optional(),
  items: z.array(itemSchema).min(1),
});
export type Industry = z.infer<typeof industrySchema>;

/**
 * What the document does not state is written `unknown` (or left out): the assistant then says
 * 以窗口告知为准 instead of promising anything. `unknown` is read as absent.
 */
const UNKNOWN = 'unknown';
function unknownable<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === UNKNOWN || value === null ? undefined : value), schema.optional());
}

export const licenceRulesSchema = z.strictObject({
  /**
   * May the comprehensive licence be issued while some item is not yet approved, marked 未许可事项?
   * Unknown: it is not (the licence waits for every item), and nothing is promised.
   */
  issueWithPendingItems: unknownable(z.boolean()),
  /** What a change to information printed on the licence does. Unknown: reissued, fee not stated. */
  onPrintedChange: unknownable(z.enum(['reissue', 'reissue_free'])),
  /** What a change to information not printed on the licence does. Unknown: the QR page shows it. */
  onUnprintedChange: unknownable(z.enum(['update_qr', 'reissue_free'])),
  /**
   * What a single permit's cancellation, revocation or expiry does to the comprehensive licence.
   * Unknown: the item is removed and the licence reissued, fee not stated.
   */
  onItemEnded: unknownable(z.enum(['void_licence', 'remove_item_reissue_free'])),
  /** Who issues the comprehensive licence, as the document names it (printed as 发证机关). */
  issuer: z.strictObject({ name: text, sources }).optional(),
  /** Required when any rule is stated. */
  sources: z.array(sourceSchema).default([]),
});
export type LicenceRules = z.infer<typeof licenceRulesSchema>;

const timeRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    /** Promised limit = statutory limit reduced by at least `reductionPercent`. */
    kind: z.literal('reduced'),
    reductionPercent: z.number().gt(0, 'must be more than 0 (a document that promises no reduction has no time rule: write timeRule: unknown)').max(100),
    sources,
  }),
  z.strictObject({
    /** Parallel approval within the limit of the shortest item that needs on-site inspection. */
    kind: z.literal('shortest_inspection_item'),
    sources,
  }),
]);
export type TimeRule = z.infer<typeof timeRuleSchema>;

const hotlineSchema = z.strictObject({ number: text, seat: text.optional(), note: text.optional(), sources });
export type Hotline = z.infer<typeof hotlineSchema>;

/**
 * What a county says differently of a registry permit: its local wordings and everyday names (added to
 * the registry's), and the facts its own document states (each replaces the registry's, with sources).
 */
export const permitOverrideSchema = z.strictObject({
  /** Other official wordings used there (added to the registry's aliases). */
  aliases: z.array(text).default([]),
  /** What people there call it (卫生证, 烟证), for questions about it. */
  colloquial: z.array(text).default([]),
  authority: text.optional(),
  summary: text.optional(),
  timeLimit: permitSchema.shape.timeLimit.optional(),
  inspection: permitSchema.shape.inspection.optional(),
  fee: permitSchema.shape.fee.optional(),
  validity: permitSchema.shape.validity,
  /** More answers, added to the registry's. */
  faq: permitSchema.shape.faq,
});
export type PermitOverride = z.infer<typeof permitOverrideSchema>;

export const regionSchema = z.strictObject({
  version: z.literal(1),
  id,
  /** The short name people use, e.g. 奈曼旗. */
  name: text,
  fullName: text,
  aliases: z.array(text).default([]),
  /** Places inside the region people may mention (towns, streets), for recognising the region. */
  places: z.array(text).default([]),
  document: z.strictObject({
    title: text,
    /** 文号; unknown for a guide published without one. */
    number: unknownable(text),
    issuer: text,
    /** Date of issue, YYYY-MM-DD; unknown for a guide published undated. */
    date: unknownable(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD, in quotes (e.g. "2024-07-29")')),
    catalogTitle: text,
    file: text.optional(),
    /** The document's text, relative to the region file: its numbered clauses answer questions, quoted. */
    text: text.optional(),
  }),
  /** The 一窗受理 window where applications are made. */
  window: z.strictObject({ name: text, sources }),
  /** The consultation line the document names; unknown: the window is named instead. */
  hotline: unknownable(hotlineSchema),
  departments: z.record(
    text,
    z.strictObject({
      /** Unknown: the catalog's own wording stands. */
      fullName: unknownable(text),
      note: text.optional(),
      sources: sources.optional(),
    }),
  ),
  /** How the promised time limit is computed; unknown: statutory limits only, 以窗口告知为准. */
  timeRule: unknownable(timeRuleSchema),
  licenceRules: z.preprocess((value) => (value === UNKNOWN || value === undefined || value === null ? {} : value), licenceRulesSchema),
  /** The county's own materials, form fields and permits, not in the registry (same fields, each sourced). */
  materials: z.array(materialSchema).default([]),
  fields: z.array(fieldSchema).default([]),
  permits: z.array(permitSchema).default([]),
  /** Registry permits as the county words and runs them, by registry id. */
  permitOverrides: z.record(id, permitOverrideSchema).default({}),
  /**
   * Fields the region's own document adds to the one form, after the permits' (新乡经开区 三（五）
   * 证照免费寄递: how the licence is delivered), each with its source.
   */
  formFields: z.array(z.strictObject({ field: id, sources })).default([]),
  /** Sentences from the document that answer questions about the reform (what, how, how long). */
  reformFaq: z
    .array(
      z.strictObject({
        topic: id,
        question: text,
        /** Other ways people ask it (「证能寄到家吗」), searched with the question. */
        variants: z.array(text).default([]),
        answer: text,
        /** The kinds of request it answers (online, post, agency, where, time, reform, holder_change…). */
        asks: z.array(id).default([]),
        sources,
      }),
    )
    .default([]),
  /** Rules the document states about its own catalog, checked by lint. */
  catalogRules: z
    .strictObject({
      /** The document says industries with a single approval item are not put in the catalog. */
      minItemsPerIndustry: z.number().int().positive().optional(),
      sources,
    })
    .optional(),
  questions: z.array(questionSchema).default([]),
  industries: z.array(industrySchema).min(1),
});
export type Region = z.infer<typeof regionSchema>;
export type RegionInput = z.input<typeof regionSchema>;
