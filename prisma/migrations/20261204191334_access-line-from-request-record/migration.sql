-- The access line of a request is no longer stored as a LogLine: the log API makes it from the
-- RequestRecord when read (lib/logs/access-line.ts), at the id the line had, so cursors and the
-- order against guest lines stay as they were.

-- AlterTable
ALTER TABLE "RequestRecord" ADD COLUMN     "lineId" BIGINT,
ADD COLUMN     "scheduledAt" TEXT;

-- Data: records take the id (and a schedule's slot) of the access line they had, which then goes,
-- so it is not shown twice. Records without one keep lineId null and show none, as before.
UPDATE "RequestRecord" r
SET "lineId" = l.id,
    "scheduledAt" = substring(l.message from '^\[scheduled ([^\]]*)\] ')
FROM "LogLine" l
WHERE l."requestId" = r.id AND l.level = 'request';

DELETE FROM "LogLine" WHERE level = 'request';

-- CreateIndex
CREATE INDEX "RequestRecord_tenantId_lineId_idx" ON "RequestRecord"("tenantId", "lineId");

-- CreateIndex
CREATE INDEX "RequestRecord_appId_lineId_idx" ON "RequestRecord"("appId", "lineId");
