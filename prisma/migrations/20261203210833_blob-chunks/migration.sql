-- AlterTable
ALTER TABLE "Blob" ALTER COLUMN "data" DROP NOT NULL;

-- CreateTable
CREATE TABLE "BlobChunk" (
    "sha256" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "BlobChunk_pkey" PRIMARY KEY ("sha256","seq")
);
