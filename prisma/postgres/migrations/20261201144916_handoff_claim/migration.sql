-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "claimedAt" TIMESTAMP(3),
ADD COLUMN     "claimedBy" TEXT;
