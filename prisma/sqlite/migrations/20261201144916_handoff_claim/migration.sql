-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN "claimedAt" DATETIME;
ALTER TABLE "Conversation" ADD COLUMN "claimedBy" TEXT;
