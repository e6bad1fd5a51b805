/**
 * The units a number question may be asked in, each with the kind of quantity it measures and its size in
 * the base unit of that kind (the unit the offline reader reports: 平方米, 元, 人…). An answer given in
 * another unit of the same kind is converted (250000元 = 25万元); one of another kind is not an answer.
 */

export type UnitKind = 'area' | 'money' | 'people' | 'length' | 'seats' | 'rooms' | 'capacity';

export interface Unit {
  kind: UnitKind;
  /** How many base units one of this unit is (1 万元 = 10000 元, 1 亩 = 666.67 平方米). */
  size: number;
}

/** The base unit of each kind, as `src/nlu/quantities.ts` reports quantities. */
export const BASE_UNITS: Readonly<Record<UnitKind, string>> = {
  area: '平方米',
  money: '元',
  people: '人',
  length: '米',
  seats: '座',
  rooms: '间',
  capacity: '蒸吨/小时',
};

export const UNITS: Readonly<Record<string, Unit>> = {
  平方米: { kind: 'area', size: 1 },
  亩: { kind: 'area', size: 10000 / 15 },
  元: { kind: 'money', size: 1 },
  万元: { kind: 'money', size: 10000 },
  人: { kind: 'people', size: 1 },
  米: { kind: 'length', size: 1 },
  座: { kind: 'seats', size: 1 },
  间: { kind: 'rooms', size: 1 },
  '蒸吨/小时': { kind: 'capacity', size: 1 },
};

/** What a figure of this kind is called in a question back to the user (这一项要看面积…). */
export const KIND_NOUNS: Readonly<Record<UnitKind, string>> = {
  area: '面积',
  money: '金额',
  people: '人数',
  length: '长度',
  seats: '座位数',
  rooms: '房间数',
  capacity: '蒸发量',
};

export function unitOf(name: string | undefined): Unit | undefined {
  return name !== undefined && Object.hasOwn(UNITS, name) ? UNITS[name] : undefined;
}

/** `value` in base units of its kind, expressed in `unit`, rounded to what people write (3 decimals). */
export function fromBase(value: number, unit: Unit): number {
  return Math.round((value / unit.size) * 1000) / 1000;
}
