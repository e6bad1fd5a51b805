-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "LookupFailure";
PRAGMA foreign_keys=on;
