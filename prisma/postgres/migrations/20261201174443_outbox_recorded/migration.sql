-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "recorded" BOOLEAN NOT NULL DEFAULT false;
