#!/usr/bin/env node
// The `wasmcompute` executable: runs the TypeScript CLI through tsx, registered in its own
// namespace (so it does not change how the rest of the process loads modules) and without the
// current folder's tsconfig (the user's project is not ours).
import { register } from "tsx/esm/api";

// `wasmcompute versions --json | head -1`: a reader that goes away is not an error.
process.stdout.on("error", (e) => process.exit(e.code === "EPIPE" ? 0 : 1));

const tsx = register({ namespace: "wasmcompute-cli", tsconfig: false });
const { run, processIo } = await tsx.import("./main.ts", import.meta.url);
const code = await run(process.argv.slice(2), processIo());
// Exit now rather than waiting for idle keep-alive sockets; stdout and stderr to files and pipes
// are synchronous on POSIX, so nothing written is lost.
process.exit(code);
