-- Blob chunks are wasm and static files: mostly incompressible, and pglz on 60 MiB costs the server
-- seconds of CPU for little. Stored out of line, uncompressed.
ALTER TABLE "BlobChunk" ALTER COLUMN "data" SET STORAGE EXTERNAL;
