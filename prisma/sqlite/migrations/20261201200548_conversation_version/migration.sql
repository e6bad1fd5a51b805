-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Conversation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "region" TEXT,
    "industry" TEXT,
    "stage" TEXT NOT NULL DEFAULT 'start',
    "state" JSONB NOT NULL,
    "handoff" BOOLEAN NOT NULL DEFAULT false,
    "claimedBy" TEXT,
    "claimedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Conversation_channel_userId_fkey" FOREIGN KEY ("channel", "userId") REFERENCES "ChannelUser" ("channel", "externalId") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Conversation" ("channel", "claimedAt", "claimedBy", "createdAt", "handoff", "id", "industry", "region", "stage", "state", "updatedAt", "userId") SELECT "channel", "claimedAt", "claimedBy", "createdAt", "handoff", "id", "industry", "region", "stage", "state", "updatedAt", "userId" FROM "Conversation";
DROP TABLE "Conversation";
ALTER TABLE "new_Conversation" RENAME TO "Conversation";
CREATE INDEX "Conversation_channel_userId_idx" ON "Conversation"("channel", "userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
