// `npm start` stopped with SIGTERM, as a deployment replaces an instance: /ready says 503 at once, the turns
// in progress finish and are saved, and the process exits 0.
import { afterAll, describe, expect, it } from 'vitest';
import { chat, startServer, tempDir, type RunningServer } from './serverProcess.ts';
import { openDatabase } from '../../src/store/db.ts';

const running: RunningServer[] = [];
afterAll(async () => {
  for (const s of running) await s.stop('SIGKILL');
});

describe('npm start: readiness and a graceful stop', () => {
  it('answers /health and /ready cheaply, then on SIGTERM says 503 on /ready, finishes the running turns and exits 0', async () => {
    const dir = tempDir();
    const env = { VAR_DIR: dir, DATABASE_URL: `file:${dir}/chat.db`, SHUTDOWN_DELAY_SECONDS: '2', HTTP_RATE_LIMIT: 'off' };
    const server = await startServer(env);
    running.push(server);
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    const health = await (await fetch(`${server.url}/health`)).json();
    expect(health.ok).toBe(true);

    // Twenty users mid-conversation when the stop comes.
    const users = Array.from({ length: 20 }, (_, i) => `w-stop-${i}`);
    let killedAt = Infinity;
    const turns = users.map((userId) =>
      chat(server.url, { userId, text: '我想在大沁他拉开个小卖部，也卖烟，不卖药' }).then(
        (r) => ({ userId, status: r.status, after: Date.now() > killedAt }),
        () => ({ userId, status: 0, after: true }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    killedAt = Date.now();
    server.process.kill('SIGTERM');
    // Within the delay, /ready turns 503 while the rest still answers.
    let ready = 200;
    for (let i = 0; i < 40 && ready === 200; i += 1) {
      ready = (await fetch(`${server.url}/ready`)).status;
      if (ready === 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(ready).toBe(503);
    const answered = await Promise.all(turns);
    const code = server.process.exitCode ?? (await new Promise((resolve) => server.process.once('exit', resolve)));
    expect(code).toBe(0);
    // Turns under way when the signal came were finished and answered; a request that came too late was
    // refused whole (503, or the connection closed before it was read), never half done.
    expect(answered.filter((r) => r.status === 200 && r.after).length).toBeGreaterThan(0);
    expect(answered.filter((r) => ![200, 503, 0].includes(r.status))).toEqual([]);
    const db = await openDatabase({ url: env.DATABASE_URL });
    try {
      const saved = await db.prisma.conversation.findMany({ where: { userId: { in: users } }, select: { userId: true, industry: true } });
      const ok = answered.filter((r) => r.status === 200).map((r) => r.userId).sort();
      expect(saved.filter((c) => c.industry === 'convenience_store').map((c) => c.userId).sort()).toEqual(ok);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('behind nginx (TRUST_PROXY) limits each client by its forwarded address, not the proxy\'s', async () => {
    const server = await startServer({ TRUST_PROXY: '127.0.0.1', HTTP_RATE_LIMIT: '3/60' });
    running.push(server);
    const regions = (client: string) => fetch(`${server.url}/api/regions`, { headers: { 'x-forwarded-for': client } }).then((r) => r.status);
    const first = [];
    for (let i = 0; i < 4; i += 1) first.push(await regions('203.0.113.7'));
    expect(first).toEqual([200, 200, 200, 429]);
    expect(await regions('198.51.100.20')).toBe(200);
    await server.stop();
  }, 60_000);
});
