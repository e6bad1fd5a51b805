-- DropTable
DROP TABLE "LookupFailure";
