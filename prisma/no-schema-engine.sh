#!/bin/sh
# Stand-in for the native schema engine the Prisma CLI wants to download (see scripts/prisma-generate.mjs).
exit 0
