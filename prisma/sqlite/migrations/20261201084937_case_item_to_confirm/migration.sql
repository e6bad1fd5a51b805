-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CaseItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "permitId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "department" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'submitted',
    "toConfirm" BOOLEAN NOT NULL DEFAULT false,
    "resumeStatus" TEXT,
    "inspection" TEXT NOT NULL,
    "statutoryWorkingDays" INTEGER,
    "promisedWorkingDays" INTEGER,
    "statutoryDeadline" TEXT,
    "promisedDeadline" TEXT,
    "permitNumber" TEXT,
    "validFrom" TEXT,
    "validUntil" TEXT,
    "reason" TEXT,
    "decidedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CaseItem_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_CaseItem" ("caseId", "decidedAt", "department", "id", "inspection", "name", "permitId", "permitNumber", "promisedDeadline", "promisedWorkingDays", "reason", "resumeStatus", "seq", "status", "statutoryDeadline", "statutoryWorkingDays", "updatedAt", "validFrom", "validUntil") SELECT "caseId", "decidedAt", "department", "id", "inspection", "name", "permitId", "permitNumber", "promisedDeadline", "promisedWorkingDays", "reason", "resumeStatus", "seq", "status", "statutoryDeadline", "statutoryWorkingDays", "updatedAt", "validFrom", "validUntil" FROM "CaseItem";
DROP TABLE "CaseItem";
ALTER TABLE "new_CaseItem" RENAME TO "CaseItem";
CREATE INDEX "CaseItem_status_validUntil_idx" ON "CaseItem"("status", "validUntil");
CREATE UNIQUE INDEX "CaseItem_caseId_permitId_key" ON "CaseItem"("caseId", "permitId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
