/** Who does something: a staff member (after authentication), the applicant, or the system itself. */

export type Actor =
  /** `department`: the member decides only that department's items (none: every department). */
  | { kind: 'staff'; id: string; name: string; role: StaffRole; department?: string }
  | { kind: 'applicant'; channel: string; userId: string }
  | { kind: 'system' };

export type StaffRole = 'staff' | 'hotline' | 'admin';

/** How an actor is written into a case's events: a stable key and a name people read. */
export function actorKey(actor: Actor): { actor: string; actorName: string } {
  if (actor.kind === 'staff') return { actor: `staff:${actor.id}`, actorName: actor.name };
  if (actor.kind === 'applicant') return { actor: 'applicant', actorName: '申请人' };
  return { actor: 'system', actorName: '系统' };
}
