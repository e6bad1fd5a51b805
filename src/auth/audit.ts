/** The audit trail: every staff action through the API or the CLI, reads included, with its outcome. */
import type { Clock } from '../kernel/clock.ts';
import { maskText } from '../privacy/mask.ts';
import type { JsonObject } from '../store/conversations.ts';
import type { StaffActor } from './staff.ts';
import type { Store } from '../store/repositories.ts';

export async function audit(
  store: Pick<Store, 'audit'>,
  clock: Clock,
  entry: { actor: StaffActor | null; via: 'http' | 'cli'; action: string; target?: string; outcome: string; detail?: JsonObject },
): Promise<void> {
  await store.audit.record({
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
  });
}

export async function listAudit(store: Pick<Store, 'audit'>, options: { limit?: number; actorId?: string }) {
  const rows = await store.audit.list({ limit: Math.min(options.limit ?? 100, 1000), ...(options.actorId ? { actorId: options.actorId } : {}) });
  return rows.map((r) => ({ id: r.id, at: r.at.toISOString(), actor: r.actor, role: r.role, via: r.via, action: r.action, target: r.target, outcome: r.outcome, detail: r.detail }));
}
