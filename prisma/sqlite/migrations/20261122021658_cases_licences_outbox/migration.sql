-- AlterTable
ALTER TABLE "Application" ADD COLUMN "answers" JSONB;
ALTER TABLE "Application" ADD COLUMN "channel" TEXT;
ALTER TABLE "Application" ADD COLUMN "userId" TEXT;

-- CreateTable
CREATE TABLE "Case" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "industry" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "holderName" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "phoneLast4" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "acceptedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Case_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CaseItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "permitId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "department" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'submitted',
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

-- CreateTable
CREATE TABLE "CaseEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" TEXT NOT NULL,
    "permitId" TEXT,
    "actor" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "reason" TEXT,
    "data" JSONB,
    "at" DATETIME NOT NULL,
    CONSTRAINT "CaseEvent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Inspection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "permitIds" JSONB NOT NULL,
    "scheduledAt" DATETIME NOT NULL,
    "opinions" JSONB,
    "recheckAt" DATETIME,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Inspection_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MaterialRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "permitIds" JSONB NOT NULL,
    "materials" JSONB NOT NULL,
    "howToSubmit" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "remindersSent" INTEGER NOT NULL DEFAULT 0,
    "nextReminderAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    CONSTRAINT "MaterialRequest_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Licence" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "number" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "industry" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'valid',
    "version" INTEGER NOT NULL DEFAULT 1,
    "voidReason" TEXT,
    "voidedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Licence_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LicenceVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "licenceId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "printed" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "free" BOOLEAN,
    "issuedAt" DATETIME NOT NULL,
    CONSTRAINT "LicenceVersion_licenceId_fkey" FOREIGN KEY ("licenceId") REFERENCES "Licence" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "conversationId" TEXT,
    "caseId" TEXT,
    "text" TEXT NOT NULL,
    "image" JSONB,
    "dedupeKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "availableAt" DATETIME NOT NULL,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL,
    "sentAt" DATETIME
);

-- CreateTable
CREATE TABLE "StaffUser" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    "lastUsedAt" DATETIME
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "actorId" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "outcome" TEXT NOT NULL,
    "detail" JSONB,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "LookupFailure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Case_number_key" ON "Case"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Case_applicationId_key" ON "Case"("applicationId");

-- CreateIndex
CREATE INDEX "Case_conversationId_idx" ON "Case"("conversationId");

-- CreateIndex
CREATE INDEX "Case_status_idx" ON "Case"("status");

-- CreateIndex
CREATE INDEX "CaseItem_status_validUntil_idx" ON "CaseItem"("status", "validUntil");

-- CreateIndex
CREATE UNIQUE INDEX "CaseItem_caseId_permitId_key" ON "CaseItem"("caseId", "permitId");

-- CreateIndex
CREATE INDEX "CaseEvent_caseId_id_idx" ON "CaseEvent"("caseId", "id");

-- CreateIndex
CREATE INDEX "Inspection_caseId_idx" ON "Inspection"("caseId");

-- CreateIndex
CREATE INDEX "MaterialRequest_status_nextReminderAt_idx" ON "MaterialRequest"("status", "nextReminderAt");

-- CreateIndex
CREATE INDEX "MaterialRequest_caseId_idx" ON "MaterialRequest"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "Licence_number_key" ON "Licence"("number");

-- CreateIndex
CREATE INDEX "Licence_caseId_idx" ON "Licence"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "LicenceVersion_licenceId_version_key" ON "LicenceVersion"("licenceId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_dedupeKey_key" ON "OutboxMessage"("dedupeKey");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_channel_availableAt_idx" ON "OutboxMessage"("status", "channel", "availableAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_channel_userId_status_idx" ON "OutboxMessage"("channel", "userId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "StaffUser_tokenHash_key" ON "StaffUser"("tokenHash");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE INDEX "LookupFailure_channel_userId_at_idx" ON "LookupFailure"("channel", "userId", "at");
