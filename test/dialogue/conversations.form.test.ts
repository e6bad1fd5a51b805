/**
 * The one merged form in conversation: fields asked one at a time and validated (GB 32100 credit
 * code, GB 11643 id number, mobile, numbers with units, addresses), corrections, 上一步, required
 * fields that cannot be skipped, the masked summary, submission, reuse for a returning user, and a
 * restart of the assistant mid-form.
 */
import { describe, expect, it } from 'vitest';
import type { SubmitInput } from '../../src/dialogue/ports.ts';
import { memoryConversations } from '../../src/store/memory.ts';
import { chat, COMMON_ANSWERS, fillForm, replyOfKind, script } from './script.ts';

const COMMON_IDS = ['entity_name', 'entity_type', 'credit_code', 'legal_rep_name', 'legal_rep_id_number', 'contact_name', 'contact_mobile', 'business_address', 'business_area', 'employee_count'];

describe('the merged form — 奈曼旗', () => {
  it('便利店 from 「填表」 to submission, with validation errors and 「电话填错了，应该是…」 on the way', async () => {
    const c = chat();
    await script(c, ['我想在大沁他拉开个小卖部，也卖烟', '不卖', '填表']);
    expect(c.state.stage).toBe('form');
    expect(c.reply).toMatch(/共\d+项（合并前各事项共需填写\d+项）/);
    expect(c.state.pendingField).toEqual({ id: 'entity_name', label: '主体名称', type: 'text', required: true });

    await c.say('大沁他拉百姓便利店');
    expect(c.state.pendingField?.id).toBe('entity_type');
    await c.say('2');
    expect(c.state.pendingField?.id).toBe('credit_code');
    await c.say('91350100M000100Y44'); // check character wrong
    expect(c.reply).toContain('统一社会信用代码校验不通过');
    expect(c.state.pendingField?.id).toBe('credit_code');
    // A valid code, but an enterprise's (91…) for a 个体工商户: refused with the reason.
    await c.say('9135 0100 M000 100Y43');
    expect(c.reply).toContain('个体工商户的统一社会信用代码第2位是「2」');
    expect(c.state.pendingField?.id).toBe('credit_code');
    await c.say('9215 0525 MA00 000013');
    expect(c.state.pendingField?.id).toBe('legal_rep_name');
    await c.say('张桂兰');
    await c.say('110105194912310021'); // wrong check digit
    expect(c.reply).toContain('身份证号码校验不通过');
    expect(c.state.pendingField?.id).toBe('legal_rep_id_number');
    await c.say('11010519491231002x');
    await c.say('张桂兰');
    expect(c.state.pendingField?.id).toBe('contact_mobile');
    await c.say('138123');
    expect(c.reply).toContain('11位手机号码');
    await c.say('13812345678');
    expect(c.state.pendingField?.id).toBe('business_address');
    await c.say('电话填错了，应该是13912345679');
    expect(c.reply).toContain('已更正联系电话：139****5679');
    expect(c.state.pendingField?.id).toBe('business_address');
    await c.say('民主路');
    expect(c.reply).toContain('完整地址');
    await c.say('奈曼旗大沁他拉镇民主路12号');
    expect(c.state.pendingField?.id).toBe('business_area');
    await c.say('大概三百平');
    expect(c.state.pendingField?.id).toBe('employee_count');
    const asked = await fillForm(c, { employee_count: '两个人', food_entity_form: '1', food_business_items: '1、2', main_equipment: '冷藏柜两台、货架十组', central_aircon: '没有' });
    expect(asked).toContain('food_business_items');
    expect(c.state.stage).toBe('confirm');

    const summary = replyOfKind(c, 'summary');
    expect(summary).toContain('地区：奈曼旗；行业：便利店');
    expect(summary).toContain('申请事项：食品经营许可、公共场所卫生许可、烟草专卖零售许可证核发');
    expect(summary).toContain('110105********002X');
    expect(summary).not.toContain('11010519491231002X');
    expect(summary).toContain('139****5679');
    expect(summary).not.toContain('13912345679');
    expect(summary).toContain('经营面积：300平方米');
    expect(summary).toContain('主体类型：个体工商户');

    await c.say('确认提交');
    expect(c.state.stage).toBe('submitted');
    expect(c.state.applicationNumber).toBe('SQ0001');
    expect(c.reply).toContain('申请已提交！申请编号：SQ0001');
    expect(c.h.submitted).toHaveLength(1);
    const sent = c.h.submitted[0] as SubmitInput;
    expect(sent.regionId).toBe('naiman');
    expect(sent.industryId).toBe('convenience_store');
    expect(sent.answers).toEqual({ sells_tobacco: true, sells_medicine: false });
    expect(sent.form).toMatchObject({
      entity_name: '大沁他拉百姓便利店',
      entity_type: 'individual',
      credit_code: '92150525MA00000013',
      legal_rep_name: '张桂兰',
      legal_rep_id_number: '11010519491231002X',
      contact_mobile: '13912345679',
      business_address: '奈曼旗大沁他拉镇民主路12号',
      business_area: 300,
      employee_count: 2,
      food_entity_form: 'food_sales',
      food_business_items: ['prepackaged_food_sales', 'bulk_food_sales'],
      central_aircon: false,
    });
  });

  it('美容美发店: corrections on the summary, an invalid correction refused, 上一步 from the summary', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开美容美发店', '填表']);
    await fillForm(c, { entity_name: '丽人美发', entity_type: '企业', credit_code: '91350100M000100Y43', central_aircon: '有' });
    expect(c.state.stage).toBe('confirm');
    expect(c.reply).toContain('是否使用集中空调通风系统：是');

    await c.say('联系电话改成13700001111');
    expect(c.reply).toContain('已更正联系电话：137****1111');
    expect(c.state.stage).toBe('confirm');
    await c.say('统一社会信用代码应为91110000802100433B');
    expect(c.reply).toContain('已更正统一社会信用代码：91110000802100433B');
    await c.say('身份证号改成110105194912310020');
    expect(c.reply).toContain('身份证号码校验不通过');
    expect(c.reply).toContain('110105********002X');
    expect(c.state.stage).toBe('confirm');

    await c.say('上一步');
    expect(c.state.stage).toBe('form');
    expect(c.state.pendingField?.id).toBe('central_aircon');
    await c.say('没有');
    expect(c.state.stage).toBe('confirm');
    await c.say('确认提交');
    expect(c.h.submitted[0]?.form).toMatchObject({
      entity_name: '丽人美发',
      entity_type: 'company',
      credit_code: '91110000802100433B',
      contact_mobile: '13700001111',
      legal_rep_id_number: '11010519491231002X',
      business_area: 300,
      employee_count: 3,
      central_aircon: false,
    });
  });

  it('required fields cannot be skipped; 上一步 walks back; 「已经是第一项了」 at the start', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await script(c, ['开美容美发店', '填表']);
    await c.say('上一步');
    expect(c.reply).toContain('已经是第一项了');
    expect(c.state.pendingField?.id).toBe('entity_name');
    await c.say('跳过');
    expect(c.reply).toContain('「主体名称」是必填项，不能跳过');
    expect(c.state.pendingField?.id).toBe('entity_name');
    await c.say('丽人美发');
    await c.say('企业');
    expect(c.state.pendingField?.id).toBe('credit_code');
    await c.say('跳过');
    expect(c.reply).toContain('必填项');
    expect(c.state.pendingField?.id).toBe('credit_code');
    await c.say('上一步');
    expect(c.reply).toContain('返回上一项');
    expect(c.state.pendingField?.id).toBe('entity_type');
    await c.say('个体户');
    expect(c.state.pendingField?.id).toBe('credit_code');
    await fillForm(c, { central_aircon: '否' });
    await c.say('确认提交');
    expect(c.h.submitted[0]?.form.entity_type).toBe('individual');
  });

  it('「填表」 before the questions are answered asks them first', async () => {
    const c = chat({ defaultRegion: 'naiman' });
    await c.say('开个健身房');
    await c.say('填表');
    expect(c.reply).toContain('填表前还需要确认几个问题');
    expect(c.state.stage).toBe('questions');
    expect(c.state.pendingQuestion?.id).toBe('high_risk_sport');
    await script(c, ['没有', '不是', '填表']);
    expect(c.state.stage).toBe('form');
    expect(c.state.pendingField?.id).toBe('entity_name');
  });
});

describe('the merged form — 新乡经开区', () => {
  it('劳务派遣公司: 注册资本 below 200万元 is refused; the three permits are submitted together', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await script(c, ['我要开劳务派遣公司', '填表']);
    // A name ending in 有限公司 settles 主体类型 (企业): one question fewer.
    const asked = await fillForm(c, { entity_name: '新乡市经开区众力劳务派遣有限公司', credit_code: '91110000802100433B', business_address: '新乡经开区纬七路8号', employee_count: '12人' }, 9);
    expect(asked).not.toContain('entity_type');
    expect(c.state.pendingField?.id).toBe('registered_capital');
    // A plain number: 「100万」 in this 万元 field is misread (conversations.pending.test.ts).
    await c.say('100');
    expect(c.reply).toContain('注册资本不能小于200万元');
    expect(c.state.pendingField?.id).toBe('registered_capital');
    await c.say('300');
    expect(c.state.pendingField?.id).toBe('fulltime_staff_count');
    await c.say('2');
    expect(c.reply).toContain('不能小于3人');
    await c.say('5');
    // 新乡经开区 三（五）证照免费寄递: the form asks how the licence is to reach the applicant.
    expect(c.state.pendingField?.id).toBe('licence_delivery');
    expect(c.last.replies.at(-1)?.options?.map((o) => o.label)).toEqual(['到窗口领取', '免费邮寄']);
    await c.say('寄给我吧');
    expect(c.state.pendingField?.id).toBe('postal_address');
    await c.say('新乡市红旗区平原路与人民路交叉口东北角');
    expect(c.state.stage).toBe('confirm');
    expect(c.reply).toContain('申请事项：劳务派遣经营许可、劳动用工备案、人力资源服务许可审批');
    expect(c.reply).toContain('证照领取方式：免费邮寄');
    expect(c.reply).toContain('邮寄地址：新乡市红旗区平原路与人民路交叉口东北角');
    await c.say('确认提交');
    const sent = c.h.submitted[0] as SubmitInput;
    expect(sent.regionId).toBe('xinxiang');
    expect(sent.industryId).toBe('labour_dispatch');
    expect(sent.form).toMatchObject({ registered_capital: 300, fulltime_staff_count: 5, employee_count: 12, credit_code: '91110000802100433B', licence_delivery: 'post', postal_address: '新乡市红旗区平原路与人民路交叉口东北角' });
  });

  it('a returning user: after a submission and 重新开始, the common fields are offered masked and reused', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await script(c, ['开个书店', '不设', '填表']);
    await fillForm(c, { entity_name: '新华书店经开区店', entity_type: '企业', credit_code: '91110000802100433B', contact_mobile: '13912345678', business_address: '新乡经开区纬七路8号' });
    await c.say('确认提交');
    expect(c.state.applicationNumber).toBe('SQ0001');
    await c.say('进度');
    expect(c.reply).toContain('SQ0001');
    await c.say('填表');
    expect(c.reply).toContain('您已提交过申请');

    const firstConversation = c.last.conversationId;
    await c.say('重新开始');
    expect(c.last.conversationId).not.toBe(firstConversation);
    expect(c.state.stage).toBe('start');
    expect(c.state.region?.id).toBe('xinxiang');
    expect(c.state.industry).toBeNull();
    expect(c.state.applicationNumber).toBeNull();
    await script(c, ['开个超市', '第二个', '不']);
    await c.say('填表');
    expect(c.state.stage).toBe('reuse');
    expect(c.reply).toContain('您之前申请时填写过以下共用信息');
    expect(c.reply).toContain('主体名称：新华书店经开区店');
    expect(c.reply).toContain('110105********002X');
    expect(c.reply).toContain('139****5678');
    expect(c.reply).not.toContain('11010519491231002X');
    expect(c.reply).not.toContain('13912345678');
    await c.say('是');
    // Everything the 备案 needs was shared: straight to the summary.
    expect(c.state.stage).toBe('confirm');
    expect(c.reply).toContain('申请事项：食品经营备案（仅销售预包装食品）');
    await c.say('主体名称改成新华书店经开区超市');
    expect(c.reply).toContain('已更正主体名称');
    await c.say('确认提交');
    expect(c.h.submitted).toHaveLength(2);
    const second = c.h.submitted[1] as SubmitInput;
    expect(second.industryId).toBe('supermarket');
    expect(second.answers).toEqual({ food_scope: 'prepackaged_only', large_outdoor_ad: false });
    expect(second.form).toMatchObject({ entity_name: '新华书店经开区超市', credit_code: '91110000802100433B', legal_rep_id_number: '11010519491231002X', contact_mobile: '13912345678' });
    expect(second.conversationId).not.toBe(c.h.submitted[0]?.conversationId);
  });

  it('a returning user may decline the old fields and type new ones', async () => {
    const c = chat({ defaultRegion: 'xinxiang' });
    await script(c, ['开个书店', '不设', '填表']);
    await fillForm(c);
    await c.say('确认提交');
    await script(c, ['重新开始', '开个书店', '要设大型广告牌', '填表']);
    expect(c.state.stage).toBe('reuse');
    await c.say('否');
    expect(c.state.stage).toBe('form');
    expect(c.state.pendingField?.id).toBe('entity_name');
    await fillForm(c, { entity_name: '新华书店二店', contact_mobile: '13700001111', ad_location: '新乡经开区纬七路8号楼顶', ad_longest_side: '6米', ad_face_area: '大概十二平方米', ad_display_type: '灯箱' });
    expect(c.state.stage).toBe('confirm');
    await c.say('确认提交');
    expect(c.h.submitted[1]?.form).toMatchObject({ entity_name: '新华书店二店', contact_mobile: '13700001111', ad_longest_side: 6, ad_face_area: 12, ad_display_type: 'other' });
    expect(c.h.submitted[1]?.answers).toEqual({ large_outdoor_ad: true });
  });
});

describe('the merged form survives a restart of the assistant', () => {
  it('two assistants over one store: the user continues at the same field and submits', async () => {
    const conversations = memoryConversations();
    const submitted: SubmitInput[] = [];
    const first = chat({ defaultRegion: 'naiman', conversations, submitted, seed: true });
    await script(first, ['开美容美发店', '填表', '丽人美发', '企业', '91350100M000100Y43', '王丽']);
    expect(first.state.pendingField?.id).toBe('legal_rep_id_number');

    // The process restarts: a new assistant over the same store.
    const second = chat({ defaultRegion: 'naiman', conversations, submitted });
    await second.say('11010519491231002X');
    expect(second.last.conversationId).toBe(first.last.conversationId);
    expect(second.state.industry?.id).toBe('beauty_salon');
    expect(second.state.pendingField?.id).toBe('contact_name');
    await fillForm(second, { central_aircon: '否' });
    await second.say('确认提交');
    expect(submitted).toHaveLength(1);
    expect(submitted[0]?.form).toMatchObject({ entity_name: '丽人美发', credit_code: '91350100M000100Y43', legal_rep_name: '王丽', legal_rep_id_number: '11010519491231002X', contact_name: COMMON_ANSWERS.contact_name });
    expect(Object.keys(submitted[0]?.form ?? {})).toEqual(expect.arrayContaining(COMMON_IDS));
  });
});
