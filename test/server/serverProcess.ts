/**
 * Starts the real server (`node bin/server.js`, as `npm start` does) on a free loopback port with its own
 * database and var directory, and stops it by the pid it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  env: NodeJS.ProcessEnv;
  process: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function tempDir(prefix = 'yiye-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startServer(env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  const port = Number(env.PORT ?? (await freePort()));
  const dir = env.VAR_DIR ?? tempDir();
  const fullEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'warn',
    VAR_DIR: dir,
    // Licence QR codes point back at this server.
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  const child = spawn(process.execPath, ['bin/server.js'], { cwd: ROOT, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${out}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    env: fullEnv,
    process: child,
    output: () => out,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

export async function chat(url: string, body: object): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

/** A new staff member's token, created with the admin token through the staff API. */
export async function createStaffToken(url: string, adminToken: string, name: string, role: 'staff' | 'hotline' | 'admin' = 'hotline'): Promise<string> {
  const res = await fetch(`${url}/api/staff/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, role }),
  });
  return ((await res.json()) as { token: string }).token;
}

/** The staff HTTP API of a running server, as one token holder calls it. */
export function staffClient(url: string, token: string) {
  return async (method: 'GET' | 'POST', path: string, body?: object) => {
    const res = await fetch(`${url}/api/staff${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: await res.json() };
  };
}

/** A caller's details as an agent types them for 帮办代办 (valid credit code and ID number). */
export const CALLER_FORM: Record<string, string> = {
  entity_name: '奈曼旗老王便利店',
  entity_type: '个体工商户',
  credit_code: '91350100M000100Y43',
  legal_rep_name: '王五',
  legal_rep_id_number: '11010519491231002X',
  contact_name: '王五',
  contact_mobile: '13912345678',
  business_address: '内蒙古自治区通辽市奈曼旗大沁他拉镇示例路1号',
  business_area: '80',
  employee_count: '3',
};

interface GuideField {
  id: string;
  type: string;
  options?: { label: string }[];
}

/** Every field of the merged form for a trade in 奈曼旗 and its answers, filled as a caller would give them. */
export async function filledForm(url: string, industry: string, answers: object): Promise<Record<string, string>> {
  const res = await fetch(`${url}/api/guide`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ region: 'naiman', industry, answers }) });
  const guide = (await res.json()) as { form: { common: GuideField[]; sections: { fields: GuideField[] }[] } };
  const form: Record<string, string> = {};
  for (const f of [...guide.form.common, ...guide.form.sections.flatMap((s) => s.fields)]) {
    form[f.id] = CALLER_FORM[f.id] ?? f.options?.[0]?.label ?? (f.type === 'number' || f.type === 'integer' ? '2' : f.type === 'boolean' ? '否' : '货架、冷柜、收银台');
  }
  return form;
}

/**
 * A submitted case taken to its licence through the staff API, as window staff would: accepted, inspected
 * when an item needs it, every item approved (permit numbers XK-1, XK-2…), the licence issued. Returns the
 * licence's links (verify, print, qr).
 */
export async function approveAndIssue(url: string, staffToken: string, caseNumber: string): Promise<{ verify: string; print: string; qr: string }> {
  const staff = staffClient(url, staffToken);
  const expectOk = (what: string, r: { status: number; body: unknown }) => {
    if (r.status !== 200 && !(what === 'issue' && r.status === 409)) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  const shown = (await staff('GET', `/cases/${caseNumber}`)).body as { items: { permitId: string; inspection: string }[] };
  expectOk('accept', await staff('POST', `/cases/${caseNumber}/accept`, {}));
  if (shown.items.some((i) => i.inspection === 'always')) {
    expectOk('inspection', await staff('POST', `/cases/${caseNumber}/inspection`, { at: new Date().toISOString() }));
    expectOk('inspection result', await staff('POST', `/cases/${caseNumber}/inspection/result`, { result: 'passed' }));
  }
  for (const [n, item] of shown.items.entries()) {
    expectOk(`approve ${item.permitId}`, await staff('POST', `/cases/${caseNumber}/items/${item.permitId}`, { decision: 'approve', permitNumber: `XK-${n + 1}` }));
  }
  // 奈曼旗 issues the licence as the last item is approved: then this answers 409.
  expectOk('issue', await staff('POST', `/cases/${caseNumber}/licence`));
  return ((await staff('GET', `/cases/${caseNumber}`)).body as { licenceLinks: { verify: string; print: string; qr: string } }).licenceLinks;
}
