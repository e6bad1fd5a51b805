-- CreateTable
CREATE TABLE "SuggestionFeedback" (
    "id" SERIAL NOT NULL,
    "conversationId" TEXT,
    "region" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "suggestion" TEXT NOT NULL,
    "sent" TEXT,
    "sources" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SuggestionFeedback_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SuggestionFeedback_region_createdAt_idx" ON "SuggestionFeedback"("region", "createdAt");

-- AddForeignKey
ALTER TABLE "SuggestionFeedback" ADD CONSTRAINT "SuggestionFeedback_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;
