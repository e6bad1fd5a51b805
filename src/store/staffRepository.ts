/** Staff members, their console sessions and the audit trail over Prisma, as the domain's records. */
import type { StoreClient } from './client.ts';
import { translatePrismaError } from './errors.ts';
import type { AuditRepository, StaffRepository, StaffUserRecord } from './repositories.ts';

export function prismaStaff(db: StoreClient): StaffRepository {
  return {
    async findUser(id) {
      const row = await db.staffUser.findUnique({ where: { id } });
      return row ? toUser(row) : null;
    },
    async findUserByTokenHash(tokenHash) {
      const row = await db.staffUser.findUnique({ where: { tokenHash } });
      return row ? toUser(row) : null;
    },
    async names(ids) {
      if (ids.length === 0) return new Map();
      const rows = await db.staffUser.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
      return new Map(rows.map((r) => [r.id, r.name]));
    },
    async createUser({ department, ...input }) {
      try {
        return toUser(await db.staffUser.create({ data: { ...input, ...(department ? { department } : {}) } }));
      } catch (error) {
        throw translatePrismaError(error, 'StaffUser', input.name);
      }
    },
    async touchUser(id, at) {
      await db.staffUser.update({ where: { id }, data: { lastUsedAt: at } });
    },
    async revokeUser(id, at) {
      const done = await db.staffUser.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
      return done.count === 1;
    },
    async listUsers() {
      return (await db.staffUser.findMany({ orderBy: { createdAt: 'asc' } })).map(toUser);
    },
    async createSession({ createdAt, ...input }) {
      await db.consoleSession.create({ data: { ...input, createdAt, lastSeenAt: createdAt } });
    },
    async findSession(tokenHash) {
      const row = await db.consoleSession.findUnique({ where: { tokenHash } });
      return row ? { id: row.id, staffUserId: row.staffUserId, csrfToken: row.csrfToken, lastSeenAt: row.lastSeenAt, expiresAt: row.expiresAt, endedAt: row.endedAt } : null;
    },
    async touchSession(id, at) {
      await db.consoleSession.update({ where: { id }, data: { lastSeenAt: at } });
    },
    async endSession(tokenHash, at) {
      await db.consoleSession.updateMany({ where: { tokenHash, endedAt: null }, data: { endedAt: at } });
    },
  };
}

export function prismaAudit(db: StoreClient): AuditRepository {
  return {
    async record({ detail, ...entry }) {
      await db.auditEntry.create({ data: { ...entry, ...(detail ? { detail } : {}) } });
    },
    async list({ limit, actorId }) {
      const rows = await db.auditEntry.findMany({ where: actorId ? { actorId } : {}, orderBy: { id: 'desc' }, take: limit });
      return rows.map((r) => ({ id: r.id, actorId: r.actorId, actor: r.actor, role: r.role, via: r.via, action: r.action, target: r.target, outcome: r.outcome, detail: r.detail, at: r.at }));
    },
  };
}

function toUser(row: StaffUserRecord): StaffUserRecord {
  return { id: row.id, name: row.name, role: row.role, department: row.department, createdAt: row.createdAt, revokedAt: row.revokedAt, lastUsedAt: row.lastUsedAt };
}
