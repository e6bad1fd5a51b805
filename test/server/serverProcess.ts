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
  const deadline = Date.now() + 30_000;
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
