-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_OutboxMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "conversationId" TEXT,
    "caseId" TEXT,
    "text" TEXT NOT NULL,
    "image" JSONB,
    "dedupeKey" TEXT,
    "recorded" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "availableAt" DATETIME NOT NULL,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL,
    "sentAt" DATETIME
);
INSERT INTO "new_OutboxMessage" ("attempts", "availableAt", "caseId", "channel", "conversationId", "createdAt", "dedupeKey", "id", "image", "lastError", "leaseUntil", "sentAt", "status", "text", "userId") SELECT "attempts", "availableAt", "caseId", "channel", "conversationId", "createdAt", "dedupeKey", "id", "image", "lastError", "leaseUntil", "sentAt", "status", "text", "userId" FROM "OutboxMessage";
DROP TABLE "OutboxMessage";
ALTER TABLE "new_OutboxMessage" RENAME TO "OutboxMessage";
CREATE UNIQUE INDEX "OutboxMessage_dedupeKey_key" ON "OutboxMessage"("dedupeKey");
CREATE INDEX "OutboxMessage_status_channel_availableAt_idx" ON "OutboxMessage"("status", "channel", "availableAt");
CREATE INDEX "OutboxMessage_channel_userId_status_idx" ON "OutboxMessage"("channel", "userId", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
