/**
 * The dialogue's {@link ApplicationsPort} over the case workflow: submitting makes a case; the user's
 * earlier applications offer their common fields for reuse.
 */
import type { Catalog } from '../catalog/load.ts';
import { submitApplication } from '../cases/submitApplication.ts';
import type { DomainDeps } from '../cases/deps.ts';
import type { ApplicationsPort } from '../dialogue/policy.ts';
import type { FieldValue } from '../guidance/validators.ts';

export function caseApplications(deps: DomainDeps): ApplicationsPort {
  return {
    async submit(input) {
      const result = await submitApplication(deps, input);
      const deadline = result.items
        .map((i) => i.promisedDeadline ?? i.statutoryDeadline)
        .filter((d): d is string => d !== undefined)
        .sort()
        .at(-1);
      const region = deps.catalog.regions.find((r) => r.id === input.regionId);
      return {
        applicationNumber: result.applicationNumber,
        caseNumber: result.caseNumber,
        nextSteps: [
          `共${result.items.length}个事项并联审批：${result.items.map((i) => `${i.name}（${i.department}）`).join('、')}。`,
          `${region ? `${region.window.name}` : '窗口'}工作人员受理后，需要现场核查的事项会统一约定一次联合核查；如需补正材料，我会在这里通知您。`,
          ...(deadline ? [`按目前的时限，预计最晚在${deadline}前办结${result.approximateDeadlines ? '（节假日安排未公布的年份按周末推算）' : ''}。`] : []),
          '随时回复「进度」查看每个事项办到哪一步。',
        ],
      };
    },
    async previousCommonFields({ channel, userId }) {
      const last = await deps.db.prisma.application.findFirst({
        where: { channel, userId },
        orderBy: { createdAt: 'desc' },
        select: { data: true },
      });
      return last ? commonFields(deps.catalog, last.data) : null;
    },
  };
}

function commonFields(catalog: Catalog, data: unknown): Record<string, FieldValue> | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const out: Record<string, FieldValue> = {};
  for (const [id, value] of Object.entries(data)) {
    if (!catalog.fields.get(id)?.common) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[id] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[id] = value;
  }
  return Object.keys(out).length ? out : null;
}
