-- DropIndex
DROP INDEX "Application_conversationId_idx";

-- CreateIndex
CREATE UNIQUE INDEX "Application_conversationId_key" ON "Application"("conversationId");
