-- CreateTable
CREATE TABLE "StaffFaqEntry" (
    "id" SERIAL NOT NULL,
    "region" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "sources" TEXT NOT NULL,
    "feedbackId" INTEGER,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "StaffFaqEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StaffFaqEntry_region_idx" ON "StaffFaqEntry"("region");
