// @ts-nocheck: AssemblyScript, compiled by asc (this line keeps the project's tsc away from it).
// Outbound HTTP on the AssemblyScript SDK: GETs the URL given as the query string and answers its
// status and body, or why the call failed (the same as sdk/c/examples/http-get.c).
import { httpGet, request, text } from "wasmcompute";

const res = httpGet(request().query);
if (res.ok) text("upstream said " + res.status.toString() + ": " + res.body);
else text("call failed (" + res.error.toString() + "): " + res.message + "\n", 502);
