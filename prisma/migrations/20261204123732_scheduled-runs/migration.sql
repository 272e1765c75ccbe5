-- CreateTable
CREATE TABLE "ScheduledRun" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "appId" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "scheduleKey" TEXT NOT NULL,
    "scheduledAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "manual" BOOLEAN NOT NULL DEFAULT false,
    "missedFrom" TIMESTAMP(3),
    "missedCount" INTEGER,
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "durationMs" DOUBLE PRECISION,
    "httpStatus" INTEGER,
    "requestId" TEXT,
    "error" TEXT,

    CONSTRAINT "ScheduledRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ScheduledRun_status_leaseUntil_idx" ON "ScheduledRun"("status", "leaseUntil");

-- CreateIndex
CREATE INDEX "ScheduledRun_appId_claimedAt_idx" ON "ScheduledRun"("appId", "claimedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ScheduledRun_appId_scheduleKey_scheduledAt_key" ON "ScheduledRun"("appId", "scheduleKey", "scheduledAt");

-- AddForeignKey
ALTER TABLE "ScheduledRun" ADD CONSTRAINT "ScheduledRun_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;
