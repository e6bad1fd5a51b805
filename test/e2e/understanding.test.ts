/**
 * Understanding people through `POST /api/chat` on the real server (SQLite, the case workflow, the staff
 * API): a trade with its question and facts in one message; an item left 不确定 that goes with the case
 * for the window to confirm (it was an HTTP 500); a repeated 确认提交 that makes one case; 新乡经开区's
 * delivery by post carried on the case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, staffClient, startServer, type RunningServer } from '../server/serverProcess.ts';
import { yiye } from '../cliHarness.ts';

const ADMIN = 'admin-token-for-understanding-0123';

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ ADMIN_TOKEN: ADMIN, QUIET_HOURS: 'off', CHAT_RATE_LIMIT: 'off' });
});
afterAll(async () => {
  await server?.stop();
});

const staff = (method: 'GET' | 'POST', path: string, body?: object) => staffClient(server.url, ADMIN)(method, path, body);

function applicant(userId: string, region: string) {
  return async (text: string) => {
    const r = await chat(server.url, { userId, text, region });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json;
  };
}

/** Fills the form with the values a person would type, the table first, then a plain answer per type. */
async function fillForm(say: (text: string) => Promise<any>, first: any, values: Record<string, string>) {
  let r = first;
  for (let guard = 0; r.state.stage === 'form' && guard < 40; guard++) {
    const field = r.state.pendingField;
    const options = r.replies.at(-1)?.options;
    r = await say(values[field.id] ?? (options?.length ? options[0].value : field.type === 'boolean' ? '否' : field.type === 'number' || field.type === 'integer' ? '2' : '详见说明'));
  }
  return r;
}

const COMMON = {
  entity_name: '奈曼旗大沁他拉迎宾宾馆有限公司',
  credit_code: '91350100M000100Y43',
  legal_rep_name: '王五',
  legal_rep_id_number: '11010519491231002X',
  contact_name: '同上',
  contact_mobile: '我的手机13912345678',
  business_address: '大沁他拉镇建设路与人民路交叉口东北角',
  business_area: '八百平左右',
  employee_count: '12个人',
};

describe('understanding people through POST /api/chat', () => {
  it('the trade, its question and facts in different clauses from one message', async () => {
    const say = applicant('u-first', '奈曼旗');
    const r = await say('我想开个超市需要办什么证，烟酒都卖，药不卖');
    expect(r.state.industry.id).toBe('supermarket');
    expect(r.state.answers).toEqual({ sells_tobacco: true, sells_medicine: false });
    const status = Object.fromEntries(r.state.permits.map((p: { name: string; status: string }) => [p.name, p.status]));
    expect(status).toMatchObject({ 烟草专卖零售许可证核发: 'required', 药品零售企业许可: 'not_needed' });
    expect(r.replies.map((x: { kind: string }) => x.kind)).toContain('permits');
    expect(r.state.pendingQuestion.id).toBe('public_gathering');
  });

  it('an item left 不确定 is submitted for the window to confirm, and the window can waive it', async () => {
    const say = applicant('u-unsure', '奈曼旗');
    let r = await say('开宾馆，带餐厅，不对外开放游泳池，污水排市政管网，不算公众聚集场所，锅炉是小燃气锅炉0.5吨');
    expect(r.state.pendingQuestion.id).toBe('eia_sensitive_area');
    r = await say('不确定');
    const eia = r.state.permits.find((p: { name: string }) => p.name === '环境影响报告表审批');
    expect(eia.status).toBe('undecided');
    r = await fillForm(say, await say('填表'), { ...COMMON, food_business_items: '炒菜和凉菜', central_aircon: '有' });
    expect(r.state.stage).toBe('confirm');
    expect(r.replies.at(-1).text).toContain('食品经营项目：热食类食品制售、冷食类食品制售');
    expect(r.replies.at(-1).text).toContain('待确认事项（提交后由窗口确认是否需要办理）：环境影响报告表审批');
    r = await say('确认提交');
    expect(r.state.stage).toBe('submitted');
    const number: string = r.state.caseNumber;
    const shown = await staff('GET', `/cases/${number}`);
    expect(shown.status).toBe(200);
    const item = shown.body.items.find((i: { permitId: string }) => i.permitId === 'eia_report_form_approval');
    expect(item).toMatchObject({ toConfirm: true, status: 'submitted' });
    expect(shown.body.items.find((i: { permitId: string }) => i.permitId === 'hotel_special_trade_licence').toConfirm).toBe(false);
    // The applicant sees that the window will confirm it.
    r = await say('进度');
    expect(r.replies.map((x: { text: string }) => x.text).join('\n')).toContain('并确认您的情况是否需要办理这一项');
    // The window finds it not required; an item the answers decided cannot be waived.
    const waived = await staff('POST', `/cases/${number}/items/eia_report_form_approval`, { decision: 'waive', reason: '项目不涉及环境敏感区' });
    expect(waived.status).toBe(200);
    expect(waived.body.status).toBe('not_required');
    const refused = await staff('POST', `/cases/${number}/items/hotel_special_trade_licence`, { decision: 'waive' });
    expect(refused.status).toBe(409);
    // Asked why, the applicant is answered from the case (the window's reason), not told it is still needed.
    r = await say('环评那个为啥不用办了');
    const why = r.replies.map((x: { text: string }) => x.text).join('\n');
    expect(why).toContain('环境影响报告表审批');
    expect(why).toContain('经窗口确认无需办理');
    expect(why).toContain('项目不涉及环境敏感区');
    expect(why).not.toContain('还需要办理');
    r = await say('我们的证办的怎么样了');
    expect(r.replies.map((x: { text: string }) => x.text).join('\n')).toContain('办理进度');
  });

  it('确认提交 twice makes one application and one case', async () => {
    const say = applicant('u-twice', '奈曼旗');
    await say('开美容美发店');
    let r = await fillForm(say, await say('填表'), { ...COMMON, entity_name: '丽人美发', central_aircon: '没有，就是分体空调' });
    expect(r.state.stage).toBe('confirm');
    const [a, b] = await Promise.all([say('确认提交'), say('确认提交')]);
    expect(a.state.caseNumber).toBeTruthy();
    expect(b.state.caseNumber).toBe(a.state.caseNumber);
    expect(b.replies.map((x: { text: string }) => x.text).join('\n')).toMatch(/已提交|办件/);
    const list = await staff('GET', '/cases?limit=50');
    const mine = (list.body as { holder: string }[]).filter((c) => c.holder === '丽人美发');
    expect(mine).toHaveLength(1);
    r = await say('我后来也想卖烟');
    expect(r.state.stage).toBe('submitted');
    // After 重新开始 the case is in the older conversation; 进度 still finds it.
    await say('重新开始');
    r = await say('进度');
    expect(r.replies.map((x: { text: string }) => x.text).join('\n')).toContain(a.state.caseNumber);
  });

  it('新乡经开区: the licence by free post (三（五）), carried on the case', async () => {
    const say = applicant('u-post', '新乡经开区');
    let r = await say('开个劳务派遣公司');
    r = await fillForm(say, await say('填表'), {
      ...COMMON,
      entity_name: '新乡市众力劳务派遣有限公司',
      business_address: '新乡经开区纬七路8号',
      registered_capital: '300',
      fulltime_staff_count: '5',
      licence_delivery: '寄给我吧',
      postal_address: '新乡市红旗区平原路与人民路交叉口东北角',
    });
    expect(r.state.stage).toBe('confirm');
    r = await say('确认提交');
    expect(r.replies[0].text).toContain('免费邮寄');
    const shown = await staff('GET', `/cases/${r.state.caseNumber}`);
    expect(shown.body.delivery).toEqual({ method: 'post', address: '新乡市红旗区平原路与人民路交叉口东北角' });
  });

  it('answers carry their source, the notice its flow chart, and what the documents do not answer is reported, masked, through the CLI', async () => {
    const say = applicant('u-sources', '奈曼旗');
    let r = await say('行业综合许可证在全旗都能用吗');
    expect(r.replies[0].text).toContain('全旗范围内互认通用');
    expect(r.replies[0].text).toContain('依据：《奈曼旗“一业一证”改革实施方案》二（六）');
    expect(r.replies[0].sources).toEqual([{ title: '奈曼旗“一业一证”改革实施方案', ref: '二（六）', quote: expect.stringContaining('互认通用') }]);
    r = await say('开个宾馆，带餐厅，没有游泳池，污水排市政管网，算公众聚集场所，不在保护区，没有锅炉');
    r = await say('告知单');
    const notice = r.replies.find((x: { kind?: string }) => x.kind === 'notice');
    expect(notice.chart.title).toBe('奈曼旗 · 宾馆 办理流程图');
    expect(notice.chart.svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="680"/);
    expect(notice.chart.svg).toContain('特种行业经营许可（旅馆业）');
    expect(notice.chart.svg).toContain('一同核查');
    // A named permit's facts, with the law they come from.
    r = await say('排水证要钱吗');
    expect(r.replies[0].text).toMatch(/排水许可证：不收费/);
    expect(r.replies[0].sources[0].title).toBeTruthy();
    r = await say('旁边那条街房租一般多少钱，我电话13912345678');
    expect(r.replies[0].text).toContain('没有确切答案');
    expect(r.replies[0].sources).toBeUndefined();
    const report = await yiye(['report', 'unanswered', '--region', '奈曼旗', '--json'], { VAR_DIR: server.env.VAR_DIR });
    expect(report.code, report.stderr).toBe(0);
    const rows = JSON.parse(report.stdout) as { text: string; region: string; industries: string[]; count: number }[];
    const rent = rows.find((x) => x.text.includes('房租'));
    expect(rent).toMatchObject({ region: 'naiman', industries: ['hotel'], count: 1, text: '旁边那条街房租一般多少钱，我电话139****5678' });
    const plain = await yiye(['report', 'unanswered', '--since', '2000-01-01'], { VAR_DIR: server.env.VAR_DIR });
    expect(plain.stdout).toContain('1次  旁边那条街房租一般多少钱');
    expect((await yiye(['report', 'unanswered', '--since', '昨天'], { VAR_DIR: server.env.VAR_DIR })).stderr).toContain('--since 需要日期');
  });
});
