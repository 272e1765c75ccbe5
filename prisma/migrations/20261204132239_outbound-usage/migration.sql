-- AlterTable
ALTER TABLE "UsageDaily" ADD COLUMN     "outboundBytes" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "outboundCalls" BIGINT NOT NULL DEFAULT 0;
