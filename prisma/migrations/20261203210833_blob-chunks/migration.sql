-- AlterTable
ALTER TABLE "Blob" ALTER COLUMN "data" DROP NOT NULL;

-- CreateTable
CREATE TABLE "BlobChunk" (
    "sha256" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "BlobChunk_pkey" PRIMARY KEY ("sha256","seq")
);

-- Chunks are wasm and static files: mostly incompressible, and pglz on 60 MiB costs the server
-- seconds of CPU for little. Stored out of line, uncompressed.
ALTER TABLE "BlobChunk" ALTER COLUMN "data" SET STORAGE EXTERNAL;
