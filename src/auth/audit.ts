/** The audit trail: every staff action through the API or the CLI, reads included, with its outcome. */
import type { Clock } from '../kernel/clock.ts';
import { maskText } from '../privacy/mask.ts';
import type { JsonObject } from '../store/conversations.ts';
import type { Database } from '../store/db.ts';
import type { StaffActor } from './staff.ts';

export async function audit(
  db: Database,
  clock: Clock,
  entry: { actor: StaffActor | null; via: 'http' | 'cli'; action: string; target?: string; outcome: string; detail?: JsonObject },
): Promise<void> {
  await db.prisma.auditEntry.create({
    data: {
      actorId: entry.actor?.id ?? 'anonymous',
      actor: entry.actor?.name ?? '未认证',
      role: entry.actor?.role ?? 'none',
      via: entry.via,
      action: entry.action,
      target: entry.target ?? null,
      outcome: entry.outcome,
      // Masked as text: whatever a caller passed, no ID or phone number is kept in clear.
      ...(entry.detail ? { detail: JSON.parse(maskText(JSON.stringify(entry.detail))) } : {}),
      at: clock.now(),
    },
  });
}

export async function listAudit(db: Database, options: { limit?: number; actorId?: string }) {
  const rows = await db.prisma.auditEntry.findMany({
    where: options.actorId ? { actorId: options.actorId } : {},
    orderBy: { id: 'desc' },
    take: Math.min(options.limit ?? 100, 1000),
  });
  return rows.map((r) => ({ id: r.id, at: r.at.toISOString(), actor: r.actor, role: r.role, via: r.via, action: r.action, target: r.target, outcome: r.outcome, detail: r.detail }));
}
