/** Licences and their printed versions over Prisma, as the domain's records (repositories.ts). */
import type { StoreClient } from './client.ts';
import { translatePrismaError } from './errors.ts';
import { NotFoundError } from '../kernel/errors.ts';
import { toItem } from './caseRepository.ts';
import type { LicenceRecord, LicenceRepository, LicenceVersionRecord, NewLicenceVersion } from './repositories.ts';

export function prismaLicences(db: StoreClient): LicenceRepository {
  return {
    async create({ first, ...input }) {
      try {
        const row = await db.licence.create({ data: { ...input, versions: { create: { ...versionData(first) } } }, select: { id: true } });
        return { id: row.id };
      } catch (error) {
        throw translatePrismaError(error, 'Licence', input.number);
      }
    },
    async version(licenceId, version) {
      const row = await db.licenceVersion.findUnique({ where: { licenceId_version: { licenceId, version } } });
      if (!row) throw new NotFoundError('LicenceVersion', `${licenceId}/${version}`);
      return toVersion(row);
    },
    async versions(licenceId) {
      const rows = await db.licenceVersion.findMany({ where: { licenceId }, orderBy: { version: 'asc' } });
      return rows.map(toVersion);
    },
    async void(licenceId, reason, at) {
      const voided = await db.licence.updateMany({ where: { id: licenceId, status: 'valid' }, data: { status: 'void', voidReason: reason, voidedAt: at } });
      return voided.count === 1;
    },
    async reissue(licenceId, from, next) {
      const moved = await db.licence.updateMany({ where: { id: licenceId, version: from, status: 'valid' }, data: { version: next.version } });
      if (moved.count !== 1) return false;
      await db.licenceVersion.create({ data: { licenceId, ...versionData(next) } });
      return true;
    },
    async find(licenceId) {
      const row = await db.licence.findUnique({ where: { id: licenceId } });
      return row ? toLicence(row) : null;
    },
    async findWithCase(licenceId) {
      const row = await db.licence.findUnique({
        where: { id: licenceId },
        include: { versions: { orderBy: { version: 'asc' } }, case: { include: { items: { orderBy: { seq: 'asc' } } } } },
      });
      return row ? { licence: toLicence(row), versions: row.versions.map(toVersion), items: row.case.items.map(toItem) } : null;
    },
    async ofConversation(conversationId) {
      const rows = await db.licence.findMany({
        where: { case: { conversationId } },
        orderBy: { createdAt: 'desc' },
        include: { versions: { orderBy: { version: 'desc' }, take: 1 } },
      });
      return rows.map((r) => ({ ...toLicence(r), latest: r.versions[0] ? toVersion(r.versions[0]) : null }));
    },
  };
}

function versionData(v: NewLicenceVersion) {
  return { version: v.version, printed: v.printed, reason: v.reason, free: v.free, issuedAt: v.issuedAt };
}

function toLicence(row: LicenceRecord): LicenceRecord {
  return { id: row.id, number: row.number, caseId: row.caseId, region: row.region, industry: row.industry, status: row.status, version: row.version, voidReason: row.voidReason, createdAt: row.createdAt };
}

function toVersion(row: LicenceVersionRecord): LicenceVersionRecord {
  return { version: row.version, printed: row.printed, reason: row.reason, free: row.free, issuedAt: row.issuedAt };
}
