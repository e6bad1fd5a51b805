-- AlterTable
ALTER TABLE "CaseItem" ADD COLUMN     "toConfirm" BOOLEAN NOT NULL DEFAULT false;
