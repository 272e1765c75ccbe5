-- CreateTable
CREATE TABLE "AppSource" (
    "appId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "files" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AppSource_pkey" PRIMARY KEY ("appId")
);

-- CreateTable
CREATE TABLE "RequestRecord" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "appId" UUID,
    "versionId" UUID,
    "time" TIMESTAMP(3) NOT NULL,
    "route" TEXT NOT NULL DEFAULT '',
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "durationMs" DOUBLE PRECISION NOT NULL,
    "memoryBytes" INTEGER,
    "bytesIn" INTEGER NOT NULL DEFAULT 0,
    "bytesOut" INTEGER NOT NULL DEFAULT 0,
    "errorCode" TEXT,
    "error" TEXT,

    CONSTRAINT "RequestRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LogLine" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" UUID NOT NULL,
    "appId" UUID,
    "requestId" UUID NOT NULL,
    "time" TIMESTAMP(3) NOT NULL,
    "level" TEXT NOT NULL,
    "message" TEXT NOT NULL,

    CONSTRAINT "LogLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UsageDaily" (
    "tenantId" UUID NOT NULL,
    "appId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "requests" BIGINT NOT NULL DEFAULT 0,
    "gbSeconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "cpuMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "egressBytes" BIGINT NOT NULL DEFAULT 0,
    "kvOps" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "UsageDaily_pkey" PRIMARY KEY ("tenantId","appId","day")
);

-- CreateTable
CREATE TABLE "KvStore" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "appId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KvStore_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KvEntry" (
    "storeId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "value" BYTEA NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KvEntry_pkey" PRIMARY KEY ("storeId","key")
);

-- CreateIndex
CREATE INDEX "AppSource_tenantId_idx" ON "AppSource"("tenantId");

-- CreateIndex
CREATE INDEX "RequestRecord_tenantId_time_idx" ON "RequestRecord"("tenantId", "time");

-- CreateIndex
CREATE INDEX "RequestRecord_appId_time_idx" ON "RequestRecord"("appId", "time");

-- CreateIndex
CREATE INDEX "LogLine_appId_id_idx" ON "LogLine"("appId", "id");

-- CreateIndex
CREATE INDEX "LogLine_tenantId_id_idx" ON "LogLine"("tenantId", "id");

-- CreateIndex
CREATE INDEX "LogLine_requestId_idx" ON "LogLine"("requestId");

-- CreateIndex
CREATE INDEX "KvStore_tenantId_idx" ON "KvStore"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "KvStore_appId_name_key" ON "KvStore"("appId", "name");

-- CreateIndex
CREATE INDEX "KvEntry_storeId_expiresAt_idx" ON "KvEntry"("storeId", "expiresAt");

-- AddForeignKey
ALTER TABLE "AppSource" ADD CONSTRAINT "AppSource_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KvStore" ADD CONSTRAINT "KvStore_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KvEntry" ADD CONSTRAINT "KvEntry_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "KvStore"("id") ON DELETE CASCADE ON UPDATE CASCADE;
