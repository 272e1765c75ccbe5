-- DropIndex
DROP INDEX "RequestRecord_time_idx";
