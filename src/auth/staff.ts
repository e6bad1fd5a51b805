/**
 * Staff identities: staff (case operations), hotline agents (read a caller's case, masked), admins
 * (everything, and issuing tokens). A token is shown once when created and stored only as its SHA-256
 * hash; high-entropy random tokens need no slow hash.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Actor, StaffRole } from '../kernel/actor.ts';
import type { Clock } from '../kernel/clock.ts';
import { DomainError, invalidInput } from '../cases/errors.ts';
import { requireRole } from '../cases/model.ts';
import type { Catalog } from '../catalog/load.ts';
import type { Store } from '../store/repositories.ts';

export const STAFF_ROLES: readonly StaffRole[] = ['staff', 'hotline', 'admin'];
export type StaffActor = Extract<Actor, { kind: 'staff' }>;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const UNAUTHENTICATED = () => new DomainError('unauthenticated', 'missing or unknown token', '请提供有效的工作人员令牌。');

export async function authenticate(store: Pick<Store, 'staff'>, token: string | undefined, clock: Clock): Promise<StaffActor> {
  if (!token || token.length < 16 || token.length > 200) throw UNAUTHENTICATED();
  const user = await store.staff.findUserByTokenHash(hashToken(token));
  if (!user || user.revokedAt) throw UNAUTHENTICATED();
  const role = STAFF_ROLES.find((r) => r === user.role);
  if (!role) throw UNAUTHENTICATED();
  // Best effort: a failed bookkeeping write must not refuse a valid token.
  await store.staff.touchUser(user.id, clock.now()).catch(() => undefined);
  return { kind: 'staff', id: user.id, name: user.name, role, ...(user.department ? { department: user.department } : {}) };
}

export async function createStaff(
  store: Pick<Store, 'staff'>,
  clock: Clock,
  input: { actor: Actor; name: string; role: string; department?: string; departments?: readonly string[] },
): Promise<{ id: string; name: string; role: StaffRole; department?: string; token: string }> {
  requireRole(input.actor, ['admin']);
  const role = STAFF_ROLES.find((r) => r === input.role);
  if (!role) throw invalidInput(`unknown role ${input.role}`, `角色应为 ${STAFF_ROLES.join('、')} 之一。`);
  const name = input.name.trim();
  if (!name || name.length > 50) throw invalidInput('bad name', '请填写姓名（50字以内）。');
  const department = input.department?.trim() || undefined;
  if (department && input.departments && !input.departments.includes(department)) {
    throw invalidInput(`unknown department ${department}`, `没有部门「${department.slice(0, 50)}」。可选：${input.departments.join('、')}。`);
  }
  const token = `yy_${randomBytes(24).toString('base64url')}`;
  const user = await store.staff.createUser({ name, role, ...(department ? { department } : {}), tokenHash: hashToken(token), createdAt: clock.now() });
  return { id: user.id, name, role, ...(department ? { department } : {}), token };
}

/** Every department a region's catalog names (the keys items carry): what a staff member's department may be. */
export function knownDepartments(catalog: Catalog): string[] {
  return [...new Set(catalog.regions.flatMap((r) => Object.keys(r.departments)))];
}

export async function revokeStaff(store: Pick<Store, 'staff'>, clock: Clock, input: { actor: Actor; id: string }): Promise<void> {
  requireRole(input.actor, ['admin']);
  if (!(await store.staff.revokeUser(input.id, clock.now()))) throw new DomainError('not_found', `staff ${input.id} not found`, `未找到有效的工作人员「${input.id}」。`);
}

export async function listStaff(store: Pick<Store, 'staff'>, actor: Actor) {
  requireRole(actor, ['admin']);
  const rows = await store.staff.listUsers();
  return rows.map((u) => ({ id: u.id, name: u.name, role: u.role, department: u.department, createdAt: u.createdAt.toISOString(), revoked: u.revokedAt !== null, lastUsedAt: u.lastUsedAt?.toISOString() ?? null }));
}

/**
 * The first admin: ADMIN_TOKEN from the config becomes an admin named 管理员 (idempotent; the plain token
 * is never stored). Use it to create personal tokens, then unset it.
 */
export async function ensureBootstrapAdmin(store: Pick<Store, 'staff'>, clock: Clock, adminToken: string | undefined): Promise<void> {
  if (!adminToken) return;
  if (adminToken.length < 16) throw new Error('ADMIN_TOKEN must be at least 16 characters');
  const tokenHash = hashToken(adminToken);
  const existing = await store.staff.findUserByTokenHash(tokenHash);
  if (existing) return;
  await store.staff.createUser({ name: '管理员', role: 'admin', tokenHash, createdAt: clock.now() }).catch(() => undefined);
}
