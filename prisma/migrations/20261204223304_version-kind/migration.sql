-- AlterTable
ALTER TABLE "Version" ADD COLUMN     "componentWorld" JSONB,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'module',
ADD COLUMN     "sourceSha256" TEXT,
ADD COLUMN     "sourceSize" INTEGER;
