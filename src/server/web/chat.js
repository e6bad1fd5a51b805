// The web chat's page script (served at /chat.js: the page's CSP allows no inline script).
(() => {
  const REGIONS = JSON.parse(document.getElementById('regions').textContent);
  const log = document.getElementById('log');
  const permitsBox = document.getElementById('permits');
  const input = document.getElementById('text');
  const regionSelect = document.getElementById('region');
  const agentBanner = document.getElementById('agent');
  const key = 'yiye-user-id';
  let userId = localStorage.getItem(key);
  if (!userId) {
    userId = 'w-' + (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2));
    localStorage.setItem(key, userId);
  }
  const blank = document.createElement('option');
  blank.value = ''; blank.textContent = '选择地区';
  regionSelect.append(blank);
  for (const r of REGIONS) {
    const o = document.createElement('option');
    o.value = r.id; o.textContent = r.name;
    regionSelect.append(o);
  }

  // Text goes into the page as text nodes only: nothing a user or the server sends is parsed as HTML.
  function renderText(el, text) {
    const lines = text.split('\n');
    let list = null;
    for (const line of lines) {
      const item = /^(\d+)\.\s(.*)$/.exec(line) || /^[·•-]\s?(.*)$/.exec(line);
      if (item) {
        if (!list) { list = document.createElement(/^\d/.test(line) ? 'ol' : 'ul'); el.append(list); }
        const li = document.createElement('li');
        li.textContent = item[2] !== undefined ? item[2] : item[1];
        list.append(li);
        continue;
      }
      list = null;
      if (/^【.*】$/.test(line)) { const h = document.createElement('h3'); h.textContent = line; el.append(h); continue; }
      const p = document.createElement('div');
      p.textContent = line || '\u00a0';
      el.append(p);
    }
  }

  // A choice answered (or passed over by a newer message) cannot be pressed again.
  function closeOptions(chosen) {
    for (const b of log.querySelectorAll('.options button:not(:disabled)')) {
      b.disabled = true;
      if (chosen && b.dataset.value === chosen) b.classList.add('chosen');
    }
  }

  function add(who, text, extra) {
    const div = document.createElement('div');
    div.className = 'msg ' + who + (extra && extra.history ? ' history' : '');
    if (who === 'bot') renderText(div, text); else div.textContent = text;
    if (extra && extra.sources && extra.sources.length) {
      // Where the answer comes from: the document or law, its clause, and its own words.
      const box = document.createElement('details');
      box.className = 'sources';
      const summary = document.createElement('summary');
      summary.textContent = '查看出处（' + extra.sources.length + '）';
      box.append(summary);
      for (const s of extra.sources) {
        const p = document.createElement('p');
        const cite = document.createElement('cite');
        cite.textContent = '《' + s.title + '》' + (s.ref || '');
        p.append(cite);
        if (s.quote) { const q = document.createElement('q'); q.textContent = s.quote; p.append(q); }
        box.append(p);
      }
      div.append(box);
    }
    if (extra && extra.chart) {
      // The applicant's flow chart, drawn by the server as SVG from the data.
      const fig = document.createElement('figure');
      fig.className = 'chart';
      const img = document.createElement('img');
      img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(extra.chart.svg);
      img.alt = extra.chart.alt;
      const cap = document.createElement('figcaption');
      cap.textContent = extra.chart.title;
      fig.append(img, cap);
      div.append(fig);
    }
    if (extra && extra.image) {
      const img = document.createElement('img');
      img.src = extra.image.dataUrl; img.alt = extra.image.alt;
      div.append(img);
    }
    log.append(div);
    if (extra && extra.options && extra.options.length) {
      const box = document.createElement('div');
      box.className = 'options';
      for (const o of extra.options) {
        const b = document.createElement('button');
        b.type = 'button'; b.textContent = o.label; b.dataset.value = o.value;
        b.addEventListener('click', () => send(o.value));
        box.append(b);
      }
      log.append(box);
    }
    return div;
  }

  // While a hotline agent has the conversation, look for their replies every few seconds.
  let polling = null;
  function pollWhileHandedOff(state) {
    if (state.handoff && !polling) polling = setInterval(() => send('', true), 5000);
    if (!state.handoff && polling) { clearInterval(polling); polling = null; }
  }

  function showState(state) {
    pollWhileHandedOff(state);
    agentBanner.hidden = !state.handoff;
    permitsBox.textContent = '';
    if (state.region && regionSelect.value !== state.region.id) regionSelect.value = state.region.id;
    if (!state.permits || !state.permits.length) return;
    const h = document.createElement('div');
    h.textContent = (state.industry ? state.industry.name + '：' : '') + '许可事项';
    const ul = document.createElement('ul');
    const label = { required: '需办理', undecided: '待确认', not_needed: '无需办理' };
    for (const p of state.permits) {
      const li = document.createElement('li');
      li.className = p.status;
      li.textContent = p.name + '（' + p.department + '，' + label[p.status] + '）';
      ul.append(li);
    }
    permitsBox.append(h, ul);
  }

  let busy = false;
  let lastBotText = '';

  // The conversation so far, when the page is loaded again.
  async function restore() {
    try {
      const res = await fetch('/api/chat/history?userId=' + encodeURIComponent(userId));
      if (!res.ok) return;
      const data = await res.json();
      for (const m of data.messages) {
        const div = add(m.direction === 'in' ? 'me' : 'bot', m.text, { history: true });
        if (m.direction === 'out') lastBotText = m.text;
        div.scrollIntoView({ block: 'end' });
      }
      if (data.state) showState(data.state);
    } catch {
      // No history: the page starts as new.
    }
  }
  // Messages go out one after another: one typed or pressed while a reply is on its way waits, it is not lost.
  let queue = Promise.resolve();
  function send(text, quiet) {
    // A poll or a visit is not worth queueing behind another request.
    if (quiet && !text && busy) return queue;
    queue = queue.then(() => deliver(text, quiet));
    return queue;
  }

  async function deliver(text, quiet) {
    busy = true;
    if (!quiet) { closeOptions(text); add('me', text).scrollIntoView({ block: 'end' }); }
    try {
      const body = { userId, text };
      if (regionSelect.value) body.region = regionSelect.value;
      const res = await fetch('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const data = await res.json();
      if (!res.ok) { add('bot', data.message || '服务暂时不可用，请稍后再试。'); return; }
      if (data.replies.length) closeOptions();
      let first = null;
      for (const r of data.replies) {
        // A visit after a reload repeats where things stand: what the history already shows is not said twice.
        if (quiet && !text && r.text === lastBotText) continue;
        const div = add('bot', r.text, r);
        first = first || div;
        lastBotText = r.text;
      }
      // A long reply is read from its top.
      if (first) first.scrollIntoView({ block: 'start' });
      showState(data.state);
    } catch {
      add('bot', '网络好像断开了，请稍后再试。您已填写的内容不会丢失。');
    } finally {
      busy = false;
    }
  }

  document.getElementById('send').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    send(text);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); document.getElementById('send').requestSubmit(); }
  });
  regionSelect.addEventListener('change', () => { if (regionSelect.value) send(regionSelect.options[regionSelect.selectedIndex].text); });
  restore().then(() => send('', true));
})();
