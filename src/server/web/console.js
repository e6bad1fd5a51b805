// The console's page script (served at /console/console.js: the page's CSP allows no inline script).
'use strict';
const REGIONS = JSON.parse(document.getElementById('regions').textContent);
const CANNED = [
  '您好，这里是12345企业开办专席，请问有什么可以帮您？',
  '请稍等，我帮您查询一下。',
  '您的情况我已记录，会尽快转交相关部门处理。',
  '如还有其他问题，可以随时在这里留言，或拨打12345。',
];
const STATUS_LABEL = { open: '办理中', closed: '已办结' };
let session = null;
let current = { tab: 'handoffs', chat: null, caseNumber: null, ticket: null };
let timers = [];

// ---- helpers: every text goes in as text, never as HTML ----
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
const $ = (id) => document.getElementById(id);
/** Replaces a node's children, skipping null and flattening arrays as el() does (never the text "null"). */
function fill(node, ...children) {
  node.replaceChildren(...children.flat(2).filter((c) => c !== undefined && c !== null && c !== false).map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
  return node;
}
const CHANNEL = { web: '网页', telegram: 'Telegram', wechat: '微信', terminal: '终端', hotline: '电话（热线）' };
const channelName = (c) => CHANNEL[c] || c;
const ACTION = {
  submitted: '提交申请', accepted: '受理', needs_correction: '要求补正', materials_requested: '要求补正', materials_resolved: '补正材料已收到', materials_cancelled: '撤回补正',
  inspection_scheduled: '预约联合核查', inspection_moved: '核查改期', inspection_passed: '核查合格', inspection_failed: '核查不合格', inspection_rectification: '提出整改意见',
  recheck_passed: '复查合格', recheck_failed: '复查不合格', approved: '准予许可', rejected: '不予许可', not_required: '确认无需办理', decided: '审批',
  licence_issued: '核发许可证', licence_reissued: '换发许可证', licence_void: '许可证作废', changed: '变更登记事项', revoked: '撤销', cancelled: '注销', expired: '失效',
};
const actionName = (a) => ACTION[a] || a;
const when = (iso) => iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '';
function waited(iso) {
  const minutes = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
  return minutes < 60 ? `${minutes}分钟` : `${Math.floor(minutes / 60)}小时${minutes % 60}分钟`;
}
function say(text, isError) {
  $('error').textContent = isError ? text : '';
  $('notice').textContent = isError ? '' : text;
}
class ApiError extends Error {}
async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(session ? { 'x-csrf-token': session.csrf } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (res.status === 401) { signedOut('登录已过期，请重新登录。'); throw new ApiError('登录已过期'); }
  if (!res.ok) throw new ApiError((data && data.message) || `请求失败（${res.status}）`);
  return data;
}
async function attempt(fn, done) {
  try { const out = await fn(); if (done) say(done); return out; }
  catch (e) { say(e instanceof ApiError ? e.message : '操作失败，请稍后重试。', true); return undefined; }
}
const isStaff = () => session && (session.actor.role === 'staff' || session.actor.role === 'admin');
const ROLE = { staff: '窗口工作人员', hotline: '热线坐席', admin: '管理员' };

// ---- sign-in ----
$('signin-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('signin-error').textContent = '';
  const res = await fetch('/api/console/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: $('token').value }) });
  const data = await res.json().catch(() => ({}));
  $('token').value = '';
  if (!res.ok) { $('signin-error').textContent = data.message || '登录失败'; return; }
  signedIn(data);
});
$('signout').addEventListener('click', async () => {
  await fetch('/api/console/session', { method: 'DELETE', headers: { 'x-csrf-token': session ? session.csrf : '' } }).catch(() => undefined);
  signedOut('已退出。');
});
function signedIn(s) {
  session = s;
  $('signin').classList.add('hidden');
  $('app').classList.remove('hidden');
  $('who').classList.remove('hidden');
  $('signout').classList.remove('hidden');
  $('who').textContent = `${s.actor.name}（${ROLE[s.actor.role] || s.actor.role}${s.actor.department ? ' · ' + s.actor.department : ''}）`;
  show(isStaff() && s.actor.role !== 'admin' ? 'cases' : 'handoffs');
  timers.push(setInterval(() => { if (current.tab === 'handoffs') refreshHandoffs(); }, 5000));
}
function signedOut(message) {
  session = null;
  timers.forEach(clearInterval); timers = [];
  $('app').classList.add('hidden');
  $('who').classList.add('hidden');
  $('signout').classList.add('hidden');
  $('signin').classList.remove('hidden');
  $('signin-error').textContent = message || '';
}

// ---- tabs ----
for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => show(b.dataset.tab));
function show(tab) {
  current.tab = tab;
  say('');
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.tab === tab);
  for (const p of document.querySelectorAll('[data-panel]')) p.classList.toggle('hidden', p.dataset.panel !== tab);
  if (tab === 'handoffs') refreshHandoffs();
  if (tab === 'cases') searchCases();
  if (tab === 'tickets') refreshTickets();
  if (tab === 'assist') startAssist();
  if (tab === 'stats') refreshStats();
}

// ---- 转人工: the queue, the transcript, suggestions, reply, notes ----
async function refreshHandoffs() {
  const list = await attempt(() => api('GET', '/api/staff/handoffs'));
  if (!list) return;
  const queue = $('queue');
  fill(queue, ...list.map((h) => el('li', {
    class: current.chat === h.conversationId ? 'selected' : '',
    'data-id': h.conversationId,
    onclick: () => openChat(h.conversationId),
  },
    el('div', {}, el('strong', {}, h.user), el('span', { class: 'badge' }, channelName(h.channel)), h.claimedBy ? el('span', { class: 'badge ok' }, `${h.claimedBy.name} 已接手`) : el('span', { class: 'badge warn' }, '待接手')),
    el('div', { class: 'small muted' }, `${h.waitingSince ? `已等待 ${waited(h.waitingSince)}` : '坐席已回复'} · ${h.summary}`),
  )));
  $('queue-empty').classList.toggle('hidden', list.length > 0);
  if (current.chat) refreshChat(false);
}

let lastQuestionSeen = null;
/** Suggestions marked wrong in this chat (by text): shown marked after a refresh, and counted once. */
const markedWrong = new Set();
let inserted = null; // the suggestion put into the reply box, for the feedback
async function openChat(id) {
  current.chat = id;
  lastQuestionSeen = null;
  inserted = null;
  await refreshChat(true);
  for (const li of $('queue').children) li.classList.toggle('selected', li.dataset.id === id);
}
async function refreshChat(full) {
  const id = current.chat;
  const h = await attempt(() => api('GET', `/api/staff/handoffs/${encodeURIComponent(id)}`));
  if (!h || id !== current.chat) return;
  const box = $('chat');
  const mine = h.claimedBy && h.claimedBy.id === session.actor.id;
  const transcript = el('div', { class: 'transcript', id: 'transcript' }, h.messages.map((m) => el('div', { class: `msg ${m.direction === 'out' && m.text.startsWith('【人工坐席】') ? 'agent' : m.direction}` }, m.text, el('span', { class: 'small muted' }, `  ${when(m.at)}`))));
  if (!full && box.dataset.id === id) {
    $('transcript').replaceWith(transcript);
    transcript.scrollTop = transcript.scrollHeight;
    fill($('claim-state'), claimState(h, mine));
    const latest = [...h.messages].reverse().find((m) => m.direction === 'in');
    if (latest && latest.text !== lastQuestionSeen) loadSuggestions(id);
    return;
  }
  box.dataset.id = id;
  // Another agent has the chat: reading is fine, replying is theirs (an admin may take it over).
  const locked = Boolean(h.claimedBy) && !mine;
  const reply = el('textarea', { id: 'reply', placeholder: locked ? `坐席「${h.claimedBy ? h.claimedBy.name : ''}」已接手，由其回复` : '回复来电人（会发到对方所在的渠道）', disabled: locked });
  // A canned answer goes in where the cursor is; what was typed stays.
  const canned = el('select', { 'aria-label': '常用语', onchange: (e) => {
    const text = e.target.value;
    if (!text) return;
    const at = reply.selectionStart ?? reply.value.length;
    reply.value = reply.value.slice(0, at) + text + reply.value.slice(reply.selectionEnd ?? at);
    e.target.value = '';
    reply.focus();
  } }, el('option', { value: '' }, '常用语…'), CANNED.map((c) => el('option', { value: c }, c)));
  const note = el('input', { id: 'note', placeholder: '备注（仅坐席可见）', size: 40 });
  fill(box, 
    el('h2', {}, `${h.user} · ${channelName(h.channel)}`),
    el('p', { class: 'small' }, h.summary),
    el('div', { class: 'row', id: 'claim-state' }, claimState(h, mine)),
    h.caseNumber ? el('p', {}, '办件：', el('a', { href: '#', onclick: (e) => { e.preventDefault(); show('cases'); openCase(h.caseNumber); } }, h.caseNumber)) : null,
    transcript,
    el('h3', {}, '回复'),
    reply,
    el('div', { class: 'row' }, canned, el('button', { class: 'primary', type: 'button', id: 'send', disabled: locked, onclick: () => sendReply(id) }, '发送'),
      el('button', { type: 'button', disabled: locked, onclick: () => { assistFrom = h; show('assist'); } }, '帮办代办'),
      el('button', { type: 'button', class: 'danger', disabled: locked, onclick: () => release(id) }, '交还助手')),
    el('h3', {}, '参考答复'),
    el('div', { id: 'suggestions' }, el('p', { class: 'muted small' }, '正在查找…')),
    el('h3', {}, '备注'),
    el('ul', { id: 'notes', class: 'small' }, h.notes.map((n) => el('li', {}, `${n.by}（${when(n.at)}）：${n.text}`))),
    el('div', { class: 'row' }, note, el('button', { type: 'button', onclick: () => addNote(id) }, '记录备注')),
  );
  transcript.scrollTop = transcript.scrollHeight;
  loadSuggestions(id);
}
function claimState(h, mine) {
  if (mine) return el('span', { class: 'badge ok' }, '由您接手');
  if (h.claimedBy) return el('span', {}, el('span', { class: 'badge warn' }, `坐席「${h.claimedBy.name}」已接手`), session.actor.role === 'admin' ? el('button', { type: 'button', onclick: () => claim(h.conversationId, true) }, '强制接手') : null);
  return el('button', { class: 'primary', type: 'button', id: 'claim', onclick: () => claim(h.conversationId, false) }, '接手');
}
async function claim(id, force) {
  if (await attempt(() => api('POST', `/api/staff/handoffs/${encodeURIComponent(id)}/claim`, force ? { force: true } : {}))) {
    await refreshHandoffs();
    say('已接手该对话。');
  }
}
async function release(id) {
  if (!confirm('把这个对话交还给助手？')) return;
  if (await attempt(() => api('POST', `/api/staff/handoffs/${encodeURIComponent(id)}/release`, {}), '已交还助手。')) {
    current.chat = null;
    fill($('chat'), el('p', { class: 'muted' }, '从左侧选择一个对话。'));
    refreshHandoffs();
  }
}
async function loadSuggestions(id) {
  // Shown in place (a chat with no question or no region yet is not an error of the agent's).
  let h;
  let problem = '';
  try { h = await api('POST', '/api/agent/suggest', { conversationId: id }); } catch (e) { problem = e instanceof ApiError ? e.message : ''; }
  const box = $('suggestions');
  if (!box || id !== current.chat) return;
  if (!h) { fill(box, el('p', { class: 'muted small' }, problem || '暂无参考答复。')); return; }
  lastQuestionSeen = h.question || null;
  fill(box, 
    h.question ? el('p', { class: 'small muted' }, `针对：${h.question}`) : null,
    ...(h.suggestions.length ? h.suggestions.map((s) => el('div', { class: 'suggestion' },
      s.text,
      el('details', { class: 'sources' }, el('summary', {}, `来源（${s.sources.length}）`), s.sources.map((x) => el('div', {}, `${x.title}${x.ref ? ' · ' + x.ref : ''}`, x.quote ? el('div', { class: 'muted' }, `「${x.quote}」`) : null))),
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'insert', onclick: () => { $('reply').value = s.text; inserted = { s, question: h.question, region: h.region }; $('reply').focus(); $('reply').scrollIntoView({ block: 'center' }); } }, '插入'),
        el('button', { type: 'button', class: 'danger', disabled: markedWrong.has(`${id}|${s.text}`), onclick: async (e) => {
          const button = e.currentTarget;
          const key = `${id}|${s.text}`;
          if (markedWrong.has(key)) return;
          markedWrong.add(key);
          button.disabled = true;
          await feedback({ s, question: h.question, region: h.region }, 'wrong');
          button.textContent = '已标为有误';
          button.closest('.suggestion').style.opacity = '0.5';
        } }, markedWrong.has(`${id}|${s.text}`) ? '已标为有误' : '有误')),
    )) : [el('p', { class: 'muted small' }, '知识库中没有找到可参考的答复。')]),
  );
}
async function feedback(used, outcome, sent) {
  if (!used || !used.region || !used.question) return;
  await attempt(() => api('POST', '/api/agent/suggestions/feedback', {
    region: used.region, question: used.question, conversationId: current.chat,
    suggestion: { text: used.s.text, sources: used.s.sources.map((x) => ({ title: x.title, ref: x.ref })) },
    outcome, ...(sent ? { sent } : {}),
  }));
}
async function sendReply(id) {
  const text = $('reply').value.trim();
  if (!text) { say('请先填写回复内容。', true); return; }
  const done = await attempt(() => api('POST', `/api/staff/handoffs/${encodeURIComponent(id)}/reply`, { text }), '已发送。');
  if (!done) return;
  if (inserted) await feedback(inserted, inserted.s.text === text ? 'used' : 'edited', inserted.s.text === text ? undefined : text);
  inserted = null;
  $('reply').value = '';
  refreshChat(false);
}
async function addNote(id) {
  const text = $('note').value.trim();
  if (!text) return;
  if (await attempt(() => api('POST', `/api/staff/handoffs/${encodeURIComponent(id)}/notes`, { text }))) {
    await refreshChat(true);
    say('备注已记录。');
  }
}

// ---- 办件: the case board ----
$('case-search').addEventListener('submit', (e) => { e.preventDefault(); searchCases(); });
async function searchCases() {
  const params = new URLSearchParams();
  if ($('case-q').value.trim()) params.set('q', $('case-q').value.trim());
  if ($('case-status').value) params.set('status', $('case-status').value);
  if ($('case-overdue').checked) params.set('overdue', '1');
  const list = await attempt(() => api('GET', `/api/staff/cases?${params}`));
  if (!list) return;
  fill($('case-rows'), ...(list.length ? list.map((c) => el('tr', { class: 'clickable', onclick: () => openCase(c.number) },
    el('td', {}, c.number, c.overdue ? el('span', { class: 'badge warn' }, '超期') : null, el('span', { class: 'badge' }, STATUS_LABEL[c.status] || c.status)),
    el('td', {}, c.holder, el('div', { class: 'small muted' }, c.phone)),
    el('td', {}, `${c.region} · ${c.industry}`),
    el('td', { class: 'small' }, c.items.map((i) => el('div', {}, `${i.name}：${itemLabel(i.status)}${i.deadline ? `（时限 ${i.deadline}）` : ''}`, i.overdue ? el('span', { class: 'badge warn' }, '超期') : null))),
    el('td', { class: 'small' }, when(c.createdAt)),
  )) : [el('tr', {}, el('td', { colspan: 5, class: 'muted' }, '没有找到办件。'))]));
}
const ITEM_LABEL = { submitted: '已提交，待受理', accepted: '已受理，审查中', needs_correction: '待补正材料', inspecting: '现场核查中', approved: '已许可', rejected: '不予许可', revoked: '已撤销', cancelled: '已注销', expired: '已失效', not_required: '经窗口确认无需办理' };
const itemLabel = (s) => ITEM_LABEL[s] || s;
/** The calendar date in Beijing (YYYY-MM-DD). */
const beijingDate = (d) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
async function caseOp(path, body, done) {
  const out = await attempt(() => api('POST', `/api/staff/cases/${encodeURIComponent(current.caseNumber)}${path}`, body));
  // The case is shown as it now stands before the notice says it is done.
  if (out) { await openCase(current.caseNumber); searchCases(); say(done); }
  return out;
}
async function openCase(number) {
  current.caseNumber = number;
  const c = await attempt(() => api('GET', `/api/staff/cases/${encodeURIComponent(number)}`));
  if (!c) return;
  const box = $('case-detail');
  box.classList.remove('hidden');
  const staff = isStaff();
  const undecided = c.items.filter((i) => ['submitted', 'accepted', 'needs_correction', 'inspecting'].includes(i.status));
  const openRequest = c.materialRequests.find((m) => m.status === 'open');
  const inspection = c.inspection;
  const mayDecide = (i) => staff && (!session.actor.department || session.actor.department === i.department);
  fill(box, 
    el('h2', {}, `办件 ${c.number}`, el('span', { class: 'badge' }, STATUS_LABEL[c.status] || c.status), c.overdue ? el('span', { class: 'badge warn' }, '超期') : null),
    el('p', {}, `${c.holderName} · ${c.regionName} · ${c.industryName} · ${c.address}`),
    el('p', { class: 'small muted' }, `申请号 ${c.applicationNumber} · 提交于 ${when(c.createdAt)}${c.acceptedAt ? ` · 受理于 ${when(c.acceptedAt)}` : ''} · 渠道 ${channelName(c.channel)}${c.submittedBy ? ` · 由${c.submittedBy}帮办代办` : ''}`),
    staff && c.items.some((i) => i.status === 'submitted') ? el('div', { class: 'row' }, el('button', { class: 'primary', type: 'button', id: 'accept', onclick: () => caseOp('/accept', {}, '已受理。') }, '受理')) : null,
    el('h3', {}, '事项'),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, '事项'), el('th', {}, '部门'), el('th', {}, '状态'), el('th', {}, '时限'), el('th', {}, '操作'))),
      el('tbody', {}, c.items.map((i) => el('tr', { 'data-permit': i.permitId },
        el('td', {}, i.name, i.toConfirm ? el('span', { class: 'badge warn' }, '待确认') : null),
        el('td', { class: 'small' }, i.department),
        el('td', {}, i.status === 'inspecting' && inspection && inspection.status === 'passed' ? '现场核查合格，待审批' : i.statusLabel, i.overdue ? el('span', { class: 'badge warn' }, '超期') : null, i.permitNumber ? el('div', { class: 'small muted' }, `证号 ${i.permitNumber}`) : null),
        el('td', { class: 'small' }, i.promisedDeadline ? `承诺 ${i.promisedDeadline}` : '', i.statutoryDeadline ? el('div', {}, `法定 ${i.statutoryDeadline}`) : ''),
        el('td', {}, mayDecide(i) && ['accepted', 'inspecting'].includes(i.status) ? [
          el('div', { class: 'row' },
            el('input', { class: 'permit-number', size: 16, placeholder: '许可证号（可不填）', 'aria-label': `「${i.name}」许可证号` }),
            el('button', { type: 'button', class: 'approve', onclick: (e) => {
              const n = e.target.parentElement.querySelector('.permit-number').value.trim();
              caseOp(`/items/${encodeURIComponent(i.permitId)}`, { decision: 'approve', ...(n ? { permitNumber: n } : {}) }, `「${i.name}」已准予许可。`);
            } }, '准予许可')),
          el('div', { class: 'row' },
            el('input', { class: 'reject-reason', size: 16, placeholder: '不予许可的理由', 'aria-label': `「${i.name}」不予许可的理由` }),
            el('button', { type: 'button', class: 'danger', onclick: (e) => {
              const r = e.target.parentElement.querySelector('.reject-reason').value.trim();
              if (!r) { say('不予许可须写明理由。', true); return; }
              caseOp(`/items/${encodeURIComponent(i.permitId)}`, { decision: 'reject', reason: r }, '已记录不予许可。');
            } }, '不予许可')),
          i.toConfirm ? el('button', { type: 'button', onclick: () => caseOp(`/items/${encodeURIComponent(i.permitId)}`, { decision: 'waive', reason: '窗口确认无需办理' }, '已确认无需办理。') }, '确认无需办理') : null,
        ] : mayDecide(i) && i.status === 'approved' ? el('button', { type: 'button', class: 'danger', onclick: () => { const r = prompt(`撤销「${i.name}」的许可，原因：`, ''); if (r && r.trim()) caseOp(`/items/${encodeURIComponent(i.permitId)}/end`, { kind: 'revoked', reason: r.trim() }, '已撤销。'); } }, '撤销') : null),
      )))),
    el('h3', {}, '补正材料（一次告知）'),
    openRequest
      ? el('div', {}, el('p', {}, `进行中的补正：${openRequest.materials.map((m) => `${m.name}（${m.problem}）`).join('；')}，已提醒 ${openRequest.remindersSent} 次。`),
          staff ? el('div', { class: 'row' }, el('button', { type: 'button', onclick: () => caseOp(`/material-requests/${encodeURIComponent(openRequest.id)}`, { outcome: 'resolved' }, '已收到补正材料。') }, '材料已收到'), el('button', { type: 'button', onclick: () => caseOp(`/material-requests/${encodeURIComponent(openRequest.id)}`, { outcome: 'cancelled', reason: '窗口撤回' }, '已撤回补正。') }, '撤回补正')) : null)
      : staff && undecided.length ? materialsPicker(c) : el('p', { class: 'muted small' }, '没有进行中的补正。'),
    el('h3', {}, '联合现场核查'),
    inspection ? el('p', {}, `${{ scheduled: '已预约', rectification: '整改中', passed: '合格', failed: '不合格' }[inspection.status]}：${when(inspection.scheduledAt)}${inspection.opinions.length ? `；整改意见：${inspection.opinions.join('；')}` : ''}`) : el('p', { class: 'muted small' }, '尚未安排。'),
    staff && (!inspection || inspection.status === 'scheduled') && c.items.some((i) => ['accepted', 'inspecting'].includes(i.status)) ? el('div', { class: 'row' },
      el('input', { type: 'datetime-local', id: 'inspect-at', 'aria-label': '核查时间（北京时间）' }),
      el('button', { type: 'button', id: 'schedule', onclick: () => { const at = $('inspect-at').value; if (!at) { say('请选择核查时间。', true); return; } caseOp('/inspection', { at }, inspection ? '核查已改期，已通知申请人。' : '核查已预约，已通知申请人。'); } }, inspection ? '改期' : '预约核查')) : null,
    staff && inspection && ['scheduled', 'rectification'].includes(inspection.status) && beijingDate(new Date()) < beijingDate(new Date(inspection.status === 'rectification' && inspection.recheckAt ? inspection.recheckAt : inspection.scheduledAt))
      ? el('p', { class: 'muted small' }, '核查当天及之后才能记录结果。') : null,
    staff && inspection && ['scheduled', 'rectification'].includes(inspection.status) && beijingDate(new Date()) >= beijingDate(new Date(inspection.status === 'rectification' && inspection.recheckAt ? inspection.recheckAt : inspection.scheduledAt)) ? el('div', { class: 'row' },
      el('button', { type: 'button', id: 'inspect-pass', onclick: () => caseOp('/inspection/result', { result: 'passed' }, '已记录：核查合格。') }, '核查合格'),
      inspection.status === 'scheduled' ? el('button', { type: 'button', onclick: () => { const o = prompt('整改意见（多条用；分隔）：', ''); if (o && o.trim()) caseOp('/inspection/result', { result: 'rectify', opinions: o.split(/[;；\n]/).map((x) => x.trim()).filter(Boolean) }, '整改意见已一次告知申请人。'); } }, '需整改') : null,
      el('button', { type: 'button', class: 'danger', onclick: () => caseOp('/inspection/result', { result: 'failed' }, '已记录：核查不合格。') }, '不合格')) : null,
    el('h3', {}, '行业综合许可证'),
    c.licence ? el('div', { class: 'row' },
      c.licenceLinks ? el('img', { class: 'qr', src: c.licenceLinks.qr, alt: `行业综合许可证 ${c.licence.number} 二维码` }) : null,
      el('div', {}, el('p', {}, `${c.licence.number}（第${c.licence.version}版，${c.licence.status === 'valid' ? '有效' : '已作废'}）`),
        c.licenceLinks ? el('p', {}, el('a', { href: c.licenceLinks.print, target: '_blank', rel: 'noopener', id: 'print-link' }, '打印许可证'), ' · ', el('a', { href: c.licenceLinks.verify, target: '_blank', rel: 'noopener' }, '核验页面')) : null,
        staff ? el('div', { class: 'row' }, el('button', { type: 'button', onclick: () => changeCase(c) }, '变更登记事项'), el('button', { type: 'button', onclick: () => caseOp('/licence', {}, '已换发许可证。') }, '换发')) : null))
      : staff ? el('button', { class: 'primary', type: 'button', id: 'issue', onclick: () => { if (confirm(`核发办件 ${c.number} 的行业综合许可证？`)) caseOp('/licence', {}, '已核发行业综合许可证，已通知申请人。'); } }, '核发许可证') : el('p', { class: 'muted small' }, '尚未核发。'),
    el('details', {}, el('summary', {}, `申请表（${c.formFields.length}项）`),
      el('table', { class: 'small' }, el('tbody', {}, c.formFields.map((f) => el('tr', {}, el('th', {}, f.label), el('td', {}, f.value)))))),
    el('h3', {}, '办理记录'),
    el('ul', { class: 'small' }, c.events.map((e) => el('li', {}, `${when(e.at)} ${e.actor}：${actionName(e.action)}${e.permitId ? ` · ${(c.items.find((i) => i.permitId === e.permitId) || {}).name || e.permitId}` : ''}${e.reason ? `（${e.reason}）` : ''}`))),
  );
}
function materialsPicker(c) {
  const rows = c.noticeMaterials.map((m, n) => el('div', { class: 'row' },
    el('label', {}, el('input', { type: 'checkbox', 'data-material': m.name, id: `mat-${n}` }), ` ${m.name}`),
    el('input', { placeholder: '缺少或不符合的具体问题', size: 30, 'data-problem': m.name })));
  return el('div', {}, el('p', { class: 'small muted' }, '勾选需要补正的材料（来自本件的一次告知单），写明问题，一次告知申请人：'), ...rows,
    el('button', { type: 'button', id: 'request-materials', onclick: () => {
      const picked = [...document.querySelectorAll('[data-material]')].filter((x) => x.checked).map((x) => ({ name: x.dataset.material, problem: (document.querySelector(`[data-problem="${CSS.escape(x.dataset.material)}"]`).value || '').trim() }));
      if (!picked.length) { say('请至少勾选一项材料。', true); return; }
      caseOp('/material-requests', { materials: picked }, '补正通知已一次告知申请人。');
    } }, '发送补正通知'));
}
function changeCase(c) {
  const field = prompt('要变更的登记事项（如 entity_name、business_address）：', 'business_address');
  if (!field) return;
  const value = prompt(`「${field}」的新内容：`, '');
  if (value === null || !value.trim()) return;
  const reason = prompt('变更原因：', '申请人申请变更');
  if (!reason) return;
  caseOp('/changes', { fields: { [field]: value.trim() }, reason }, '已变更，并换发许可证。');
}

// ---- 工单 ----
$('ticket-status').addEventListener('change', refreshTickets);
async function refreshTickets() {
  const status = $('ticket-status').value;
  const list = await attempt(() => api('GET', `/api/staff/tickets${status ? `?status=${status}` : ''}`));
  if (!list) return;
  fill($('ticket-list'), ...list.map((t) => el('li', { onclick: () => openTicket(t.number), 'data-number': t.number },
    el('div', {}, el('strong', {}, t.number), el('span', { class: 'badge' }, t.kindLabel), el('span', { class: t.status === 'answered' ? 'badge ok' : 'badge warn' }, t.statusLabel)),
    el('div', { class: 'small muted' }, `${when(t.createdAt)} · ${t.text.slice(0, 60)}`))));
  $('ticket-empty').classList.toggle('hidden', list.length > 0);
}
async function openTicket(number) {
  const t = await attempt(() => api('GET', `/api/staff/tickets/${encodeURIComponent(number)}`));
  if (!t) return;
  const region = REGIONS.find((r) => r.id === t.region);
  const dept = el('select', { id: 'ticket-dept', 'aria-label': '负责部门' }, (region ? region.departments : []).map((d) => el('option', { value: d, selected: d === t.department }, d)));
  const answer = el('textarea', { id: 'ticket-answer', placeholder: '答复内容（会发到对方登记时所在的渠道）' });
  fill($('ticket-detail'), 
    el('h2', {}, `工单 ${t.number}`, el('span', { class: 'badge' }, t.kindLabel), el('span', { class: 'badge' }, t.statusLabel)),
    el('p', {}, t.text),
    el('p', { class: 'small muted' }, `登记于 ${when(t.createdAt)} · ${region ? region.name : t.region} · 渠道 ${channelName(t.channel)}${t.about ? ` · 涉及：${t.about}` : ''}${t.contact ? ` · 联系方式：${t.contact}` : ''}`),
    t.answer ? el('p', {}, `答复（${t.answeredBy}，${when(t.answeredAt)}）：${t.answer}`) : [
      el('div', { class: 'row' }, el('label', {}, '转交部门 ', dept), el('button', { type: 'button', onclick: async () => { if (await attempt(() => api('POST', `/api/staff/tickets/${encodeURIComponent(t.number)}/assign`, { department: dept.value }))) { await openTicket(t.number); refreshTickets(); say('已转交。'); } } }, '转交')),
      answer,
      el('div', { class: 'row' }, el('button', { class: 'primary', type: 'button', onclick: async () => { if (await attempt(() => api('POST', `/api/staff/tickets/${encodeURIComponent(t.number)}/answer`, { answer: answer.value }))) { await openTicket(t.number); refreshTickets(); say('已答复，并发送给来电人。'); } } }, '答复')),
    ],
    el('h3', {}, '来源对话'),
    el('div', { class: 'transcript' }, t.messages.map((m) => el('div', { class: `msg ${m.direction}` }, m.text))),
  );
}

// ---- 帮办代办 ----
let assist = { answers: {}, guidance: null, asked: {} };
let assistFrom = null; // the chat the agent opened 帮办代办 from: its region, trade and answers go on
const regionSelect = $('assist-region');
fill(regionSelect, ...REGIONS.map((r) => el('option', { value: r.id }, r.name)));
$('stats-region').append(...REGIONS.map((r) => el('option', { value: r.id }, r.name)));
regionSelect.addEventListener('change', () => loadIndustries());
$('assist-industry').addEventListener('change', () => { assist.answers = {}; nextStep(); });
async function startAssist() {
  $('assist-link-label').classList.toggle('hidden', !current.chat);
  const from = assistFrom;
  assistFrom = null;
  // Linked only when opened from the chat: a caller on the phone is never put into someone else's conversation.
  $('assist-link').checked = Boolean(from);
  if (from && from.region) {
    regionSelect.value = from.region;
    await loadIndustries();
    if (from.industry) $('assist-industry').value = from.industry;
    assist.answers = { ...(from.answers || {}) };
    assist.asked = {};
    await nextStep();
    return;
  }
  if (!$('assist-industry').options.length) await loadIndustries();
}
async function loadIndustries() {
  const catalog = await attempt(() => api('GET', `/api/catalog/${encodeURIComponent(regionSelect.value)}`));
  if (!catalog) return;
  fill($('assist-industry'), ...catalog.industries.map((i) => el('option', { value: i.id }, i.name)));
  assist.answers = {};
  nextStep();
}
async function nextStep() {
  const g = await attempt(() => api('POST', '/api/guide', { region: regionSelect.value, industry: $('assist-industry').value, answers: assist.answers }));
  if (!g) return;
  assist.guidance = g;
  const asked = Object.keys(assist.answers);
  const fromChat = asked.filter((id) => !assist.asked[id]).length;
  const q = g.nextQuestion;
  fill($('assist-questions'), 
    el('h3', {}, '情形问题'),
    fromChat ? el('p', { class: 'small muted' }, `对话中已回答 ${fromChat} 个问题。`) : null,
    el('ul', { class: 'small' }, asked.filter((id) => assist.asked[id]).map((id) => el('li', {}, `${assist.asked[id]}：${String(assist.answers[id])}`))),
    q ? el('div', { class: 'row', id: 'assist-question' }, el('span', {}, q.text),
      ...(q.type === 'boolean' ? ['是', '否', '不确定'] : q.options ? q.options.map((o) => o.label) : []).map((label) => el('button', { type: 'button', onclick: () => { assist.answers[q.id] = label; assist.asked[q.id] = q.text; nextStep(); } }, label)),
      ...(q.type === 'number' ? [el('input', { id: 'assist-number', type: 'number', min: 0, 'aria-label': q.text }), el('button', { type: 'button', onclick: () => { assist.answers[q.id] = $('assist-number').value; assist.asked[q.id] = q.text; nextStep(); } }, '确定')] : []))
      : el('p', {}, `需办理：${g.permits.filter((p) => p.status === 'required').map((p) => p.name).join('、') || '无'}${g.permits.some((p) => p.status === 'undecided') ? `；待确认：${g.permits.filter((p) => p.status === 'undecided').map((p) => p.name).join('、')}` : ''}`),
  );
  fill($('assist-form'), ...(q ? [] : [renderForm(g)]));
}
function renderForm(g) {
  const fields = [...g.form.common, ...g.form.sections.flatMap((s) => s.fields)];
  const inputs = fields.map((f) => {
    const input = f.options || f.type === 'boolean'
      ? el('select', { 'data-field': f.id }, el('option', { value: '' }, '请选择'), (f.options || [{ label: '是' }, { label: '否' }]).map((o) => el('option', { value: o.label }, o.label)))
      : el('input', { 'data-field': f.id, size: 40, type: f.type === 'number' || f.type === 'integer' ? 'number' : 'text' });
    input.id = `field-${f.id}`;
    input.dataset.label = f.label;
    // A field asked only in some case says when (「邮寄地址」 only when the licence is posted).
    const whenField = f.when ? fields.find((x) => x.id === f.when.field) : undefined;
    const whenOption = whenField && whenField.options ? whenField.options.find((o) => o.id === f.when.eq) : undefined;
    const condition = whenOption ? `（「${whenField.label}」选「${whenOption.label}」时填写）` : '';
    return el('div', { class: 'row' }, el('label', { style: 'min-width: 14em', for: `field-${f.id}` }, `${f.label}${f.unit ? `（${f.unit}）` : ''}${f.required && !condition ? ' *' : ''}`), input, condition ? el('span', { class: 'small muted' }, condition) : null);
  });
  return el('div', {}, el('h3', {}, `一表申请（${fields.length}项）`), ...inputs,
    el('div', { class: 'row' }, el('button', { class: 'primary', type: 'button', id: 'assist-submit', onclick: submitAssisted }, '代为提交')),
    el('p', { id: 'assist-result', class: 'notice' }));
}
async function submitAssisted() {
  const form = {};
  for (const input of document.querySelectorAll('[data-field]')) if (input.value.trim()) form[input.dataset.field] = input.value.trim();
  const linked = current.chat && $('assist-link').checked;
  for (const input of document.querySelectorAll('[data-field]')) input.classList.remove('invalid');
  const out = await attempt(() => api('POST', '/api/agent/applications', { region: regionSelect.value, industry: $('assist-industry').value, answers: assist.answers, form, ...(linked ? { conversationId: current.chat } : {}) }));
  if (!out) {
    // The fields the message names are marked.
    const message = $('error').textContent;
    for (const input of document.querySelectorAll('[data-field]')) if (message.includes(`「${input.dataset.label}」`)) input.classList.add('invalid');
    return;
  }
  for (const input of document.querySelectorAll('[data-field]')) input.value = '';
  $('assist-result').textContent = `已代为提交（申请号 ${out.applicationNumber}）。${out.followUp}请把办件号告诉来电人。`;
  say(`已提交，办件号 ${out.caseNumber}。`);
}

// ---- 统计 ----
const charts = {};
$('stats-refresh').addEventListener('click', refreshStats);
$('stats-region').addEventListener('change', refreshStats);
for (const a of document.querySelectorAll('[data-csv]')) a.addEventListener('click', (e) => {
  e.preventDefault();
  const region = $('stats-region').value;
  window.location.href = `/api/staff/stats.csv?table=${a.dataset.csv}${region ? `&region=${region}` : ''}`;
});
function chart(id, config) {
  if (typeof Chart === 'undefined') return;
  if (charts[id]) charts[id].destroy();
  const empty = config.data.datasets.every((d) => d.data.every((v) => !v));
  $(id).parentElement.querySelector('.empty')?.remove();
  if (empty) $(id).after(el('p', { class: 'muted small empty' }, '暂无数据。'));
  charts[id] = new Chart($(id), { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, ...(config.options || {}) } });
}
async function refreshStats() {
  const region = $('stats-region').value;
  const s = await attempt(() => api('GET', `/api/staff/stats${region ? `?region=${region}` : ''}`));
  if (!s) return;
  fill($('stats-summary'), 
    el('span', {}, `办件 ${s.cases.total} 件`), el('span', {}, `办理中 ${s.cases.open}`), el('span', {}, `已办结 ${s.cases.closed}`), el('span', { class: s.cases.overdue ? 'badge warn' : 'badge' }, `超期 ${s.cases.overdue}`),
    s.merging.length ? el('span', { class: 'muted' }, `平均每件：材料 ${avg(s.merging, 'materialsBefore')} → ${avg(s.merging, 'materialsAfter')} 份，表单字段 ${avg(s.merging, 'fieldsBefore')} → ${avg(s.merging, 'fieldsAfter')} 项`) : null);
  chart('chart-status', { type: 'bar', data: { labels: s.itemsByStatus.map((x) => x.label), datasets: [{ label: '事项数', data: s.itemsByStatus.map((x) => x.count), backgroundColor: '#1f5fbf' }, { label: '其中超期', data: s.itemsByStatus.map((x) => x.overdue), backgroundColor: '#d92d20' }] } });
  chart('chart-days', { type: 'bar', data: { labels: s.itemDays.map((x) => x.name), datasets: [{ label: '平均用时', data: s.itemDays.map((x) => x.averageDays), backgroundColor: '#1f5fbf' }, { label: '法定时限', data: s.itemDays.map((x) => x.statutoryDays), backgroundColor: '#98a2b3' }, { label: '承诺时限', data: s.itemDays.map((x) => x.promisedDays), backgroundColor: '#12b76a' }] } });
  const recent = s.merging.slice(0, 20).reverse();
  chart('chart-merging', { type: 'bar', data: { labels: recent.map((m) => `${m.caseNumber.slice(-6)} ${m.industry}`), datasets: [
    { label: '材料（合并前）', data: recent.map((m) => m.materialsBefore), backgroundColor: '#fda29b' }, { label: '材料（合并后）', data: recent.map((m) => m.materialsAfter), backgroundColor: '#d92d20' },
    { label: '字段（合并前）', data: recent.map((m) => m.fieldsBefore), backgroundColor: '#b2ccff' }, { label: '字段（合并后）', data: recent.map((m) => m.fieldsAfter), backgroundColor: '#1f5fbf' }] } });
  chart('chart-feedback', { type: 'bar', data: { labels: ['直接采用', '修改后发送', '有误', ...s.tickets.map((t) => `${t.label}工单`)], datasets: [
    { label: '参考答复', data: [s.suggestions.used, s.suggestions.edited, s.suggestions.wrong, ...s.tickets.map(() => null)], backgroundColor: '#1f5fbf' },
    { label: '待分派/办理中', data: [null, null, null, ...s.tickets.map((t) => t.open + t.assigned)], backgroundColor: '#f79009' },
    { label: '已答复', data: [null, null, null, ...s.tickets.map((t) => t.answered)], backgroundColor: '#12b76a' }] } });
  const report = await attempt(() => api('GET', `/api/agent/suggestions/report${region ? `?region=${region}` : ''}`));
  if (report) fill($('edited-rows'), ...(report.edited.length ? report.edited.map((e) => el('tr', {},
    el('td', {}, e.question), el('td', { class: 'small muted' }, e.suggestion), el('td', {}, e.sent || ''),
    el('td', {}, session.actor.role === 'admin' ? el('button', { type: 'button', class: 'to-faq', onclick: async () => {
      if (await attempt(() => api('POST', '/api/agent/faq', { feedbackId: e.id }), '已转为问答条目，助手从现在起用它回答。')) refreshStats();
    } }, '转为问答条目') : null))) : [el('tr', {}, el('td', { colspan: 4, class: 'muted' }, '暂无。'))]));
  fill($('unanswered-rows'), ...(s.unanswered.length ? s.unanswered.map((u) => el('tr', {}, el('td', {}, u.text), el('td', {}, (REGIONS.find((r) => r.id === u.region) || {}).name || u.region), el('td', {}, u.count))) : [el('tr', {}, el('td', { colspan: 3, class: 'muted' }, '暂无。'))]));
}
const avg = (rows, key) => Math.round(rows.reduce((a, r) => a + r[key], 0) / rows.length);

// ---- start: still signed in? ----
fetch('/api/console/session', { credentials: 'same-origin' }).then(async (res) => { if (res.ok) signedIn(await res.json()); }).catch(() => undefined);
