import { describe, expect, it } from 'vitest';
import { extractArea, extractEmployeeCount, normalize, parseNumber } from '../../src/nlu/index.ts';

describe('parseNumber', () => {
  it.each([
    ['800', 800],
    ['1,200', 1200],
    ['1.2万', 12000],
    ['2万5', 25000],
    ['八百', 800],
    ['十五', 15],
    ['二十五', 25],
    ['一百零五', 105],
    ['一百五十', 150],
    ['两千五百', 2500],
    ['两百五十万', 2500000],
    ['二零二四', 2024],
    ['半', 0.5],
    ['俩', 2],
  ])('%s → %d', (text, value) => {
    expect(parseNumber(text)).toBe(value);
  });

  it('reads a trailing digit after a unit in the next lower unit, as people say it', () => {
    expect(parseNumber('一百五')).toBe(150);
    expect(parseNumber('两千五')).toBe(2500);
    expect(parseNumber('一万二')).toBe(12000);
  });

  it('takes the larger bound of a range of neighbouring digits', () => {
    expect(parseNumber('七八')).toBe(8);
    expect(parseNumber('三四百')).toBe(400);
    expect(parseNumber('十七八')).toBe(18);
  });

  it('rejects what is not a number', () => {
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('平米')).toBeNull();
  });
});

describe('extractArea', () => {
  const area = (text: string) => extractArea(normalize(text));
  it.each([
    ['想开个八百平的超市', 800],
    ['800平米', 800],
    ['八百平方', 800],
    ['大概三百平', 300],
    ['1.2万平方米', 12000],
    ['一万二平方的超市', 12000],
    ['店面六十来平', 60],
    ['便利店面积50㎡', 50],
    ['超市 800 m2', 800],
    ['十个平方', 10],
    ['三四百平的洗浴中心', 400],
    ['300到400平', 400],
    ['面积：200平方米；从业人员：12人', 200],
    ['面积大概200', 200],
    ['一亩地', 667],
    ['一亩半', 1000],
  ])('%s → %d m²', (text, value) => {
    expect(area(text)).toBe(value);
  });

  it('ignores lengths, rooms and prices', () => {
    expect(area('招牌十米长')).toBeNull();
    expect(area('二十个房间')).toBeNull();
    expect(area('三间平房')).toBeNull();
  });
});

describe('extractEmployeeCount', () => {
  const count = (text: string) => extractEmployeeCount(normalize(text));
  it.each([
    ['5个员工', 5],
    ['三个人', 3],
    ['就我一个人', 1],
    ['员工十五名', 15],
    ['从业人员：12人', 12],
    ['员工三十多人', 30],
    ['七八个服务员', 8],
    ['三个理发师', 3],
    ['店长加店员一共四个人', 4],
    ['俺两口子看店', 2],
    ['就我和我老公俩人', 2],
  ])('%s → %d', (text, value) => {
    expect(count(text)).toBe(value);
  });

  it('does not count seats or guests as staff', () => {
    expect(count('可以坐两百人')).toBeNull();
    expect(count('能容纳五十人')).toBeNull();
    expect(count('三人间客房')).toBeNull();
  });
});
