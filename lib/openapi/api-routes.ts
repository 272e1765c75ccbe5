// Every route of the REST API, in one list: the OpenAPI document is generated from it, and the
// access-control tests walk it (a test fails when a route file is missing here).
import type { z } from "zod";
import type { AccessScope } from "@/lib/auth/roles";
import { CreateAppInput } from "@/lib/apps/create-app";
import { TryRequestInput } from "@/lib/apps/try-request";
import { SaveSourceInput } from "@/lib/sources/source-files";
import { DeployInput, RollbackInput } from "@/lib/deployments/deploy-version";
import { SignUpInput } from "@/lib/tenants/schemas";
import { CreateTokenInput } from "@/lib/tokens/tokens";
import { PasswordLoginInput } from "@/lib/tokens/create-token-with-password";
import { CompareAndSetKvInput, DeleteKvPrefixInput, IncrementKvInput, SetKvInput } from "@/lib/kv/kv-schemas";
import { AppResponse, AppsResponse, DeploymentResponse, DeploymentsResponse } from "@/lib/api-shapes/app-shapes";
import { KvDeletedResponse, KvEntryResponse, KvIncrementResponse, KvPageResponse, KvUsageResponse } from "@/lib/api-shapes/kv-shapes";
import { LogsResponse, RequestLogResponse } from "@/lib/api-shapes/log-shapes";
import { SavedSourceResponse, SourceResponse } from "@/lib/api-shapes/source-shapes";
import { TemplateFilesResponse, TemplatesResponse } from "@/lib/api-shapes/template-shapes";
import { CreatedTokenResponse, PasswordLoginResponse, SignUpResponse, TokensResponse } from "@/lib/api-shapes/token-shapes";
import { VersionResponse, VersionsResponse, VersionWithFilesResponse } from "@/lib/api-shapes/version-shapes";
import { BillingSummary } from "@/lib/api-shapes/usage-shapes";
import { BILLING_ROUTES } from "./routes-billing";
import { EDITOR_ROUTES } from "./routes-editor";
import { ENV_ROUTES } from "./routes-env";
import { SCHEDULE_ROUTES } from "./routes-schedules";
import { FILES_ROUTES } from "./routes-files";
import { SECURITY_ROUTES } from "./routes-security";
import { ACCOUNT_ROUTES } from "./routes-account";
import { TEAM_ROUTES } from "./routes-teams";

export interface ApiRoute {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** OpenAPI path template under /api/v1. */
  path: string;
  summary: string;
  /** The least scope it needs (lib/auth/roles.ts: which roles have it); null: public. */
  scope: AccessScope | null;
  /** Only a console session may call it: an API token is refused (403). */
  sessionOnly?: true;
  /** What a token needs when it is more than `scope` (a token acts for the whole tenant, not one person). */
  tokenScope?: AccessScope;
  /** "wasm": the raw bytes of a WebAssembly binary (application/wasm). */
  body?: z.ZodType | "multipart" | "wasm";
  /** Success status. */
  status: number;
  /** The JSON answer's shape (lib/api-shapes): the document's response schema is generated from it. */
  response?: z.ZodType;
}

export const API_ROUTES: ApiRoute[] = [
  {
    method: "POST",
    path: "/signup",
    summary: "Create an account and its tenant (limited per client address: SIGNUP_RATE_LIMIT per SIGNUP_RATE_WINDOW_SECONDS, sliding; 429 with Retry-After past it)",
    scope: null,
    body: SignUpInput,
    status: 201,
    response: SignUpResponse,
  },
  {
    method: "POST",
    path: "/login",
    summary: "Exchange an email and password for a new API token bound to one tenant (`tenant`, default the user's home tenant; the user must be a member) with the scope of the user's role there or a narrower one; the console's sign-in limits, back-off and audit log apply",
    scope: null,
    body: PasswordLoginInput,
    status: 201,
    response: PasswordLoginResponse,
  },
  { method: "GET", path: "/openapi.json", summary: "This document", scope: null, status: 200 },
  { method: "GET", path: "/apps", summary: "List apps", scope: "read", status: 200, response: AppsResponse },
  { method: "POST", path: "/apps", summary: "Create an app", scope: "deploy", body: CreateAppInput, status: 201, response: AppResponse },
  { method: "GET", path: "/apps/{app}", summary: "Get an app with its live routes", scope: "read", status: 200, response: AppResponse },
  { method: "DELETE", path: "/apps/{app}", summary: "Delete an app, its versions and deployments", scope: "admin", status: 204 },
  { method: "GET", path: "/apps/{app}/versions", summary: "List versions, newest first", scope: "read", status: 200, response: VersionsResponse },
  { method: "POST", path: "/apps/{app}/versions", summary: "Publish an immutable version (multipart: version, module — a WASI preview1 module, its WAT text, or a WASI 0.2 component exporting wasi:http/incoming-handler@0.2.x, refused with 422 naming what it imports that is not provided —, manifest, files; query: version, checked before the upload is read: 409 if it exists)", scope: "deploy", body: "multipart", status: 201, response: VersionResponse },
  { method: "GET", path: "/apps/{app}/versions/{version}", summary: "Get a version with its hashes and files", scope: "read", status: 200, response: VersionWithFilesResponse },
  { method: "GET", path: "/apps/{app}/versions/{version}/module", summary: "Download the stored module (a component: as it was uploaded, not its transpiled artifact)", scope: "read", status: 200 },
  { method: "GET", path: "/apps/{app}/deployments", summary: "Deployment history, newest first", scope: "read", status: 200, response: DeploymentsResponse },
  { method: "POST", path: "/apps/{app}/deployments", summary: "Deploy a version to a route", scope: "deploy", body: DeployInput, status: 201, response: DeploymentResponse },
  { method: "DELETE", path: "/apps/{app}/deployments/{route}", summary: "Take an explicit route down", scope: "deploy", status: 204 },
  { method: "POST", path: "/apps/{app}/rollback", summary: "Roll a route back to the version it served before", scope: "deploy", body: RollbackInput, status: 201, response: DeploymentResponse },
  { method: "POST", path: "/apps/{app}/try", summary: "Send a request to the app through the gateway", scope: "deploy", body: TryRequestInput, status: 200 },
  { method: "GET", path: "/apps/{app}/logs", summary: "Log lines with their requests (filters: level, status, version, q, from, to, requestId; cursors: before, after)", scope: "read", status: 200, response: LogsResponse },
  { method: "GET", path: "/apps/{app}/logs/stream", summary: "Live tail of log lines as Server-Sent Events (same filters; resumes after Last-Event-ID)", scope: "read", status: 200 },
  { method: "GET", path: "/logs", summary: "Log lines of every app of the tenant, each with its app (the same filters and cursors but version)", scope: "read", status: 200, response: LogsResponse },
  { method: "GET", path: "/logs/stream", summary: "Live tail of every app's log lines as Server-Sent Events", scope: "read", status: 200 },
  { method: "GET", path: "/apps/{app}/logs/requests/{requestId}", summary: "One request's access record with all its log lines", scope: "read", status: 200, response: RequestLogResponse },
  { method: "GET", path: "/usage", summary: "Month-to-date usage per day and app, priced by the plan, beside AWS Lambda and Cloudflare Workers list prices", scope: "read", status: 200, response: BillingSummary },
  { method: "GET", path: "/apps/{app}/source", summary: "The editor's draft of the app's source: { files, revision }", scope: "read", status: 200, response: SourceResponse },
  { method: "PUT", path: "/apps/{app}/source", summary: "Save the editor's draft; 409 when `revision` is not the current one", scope: "deploy", body: SaveSourceInput, status: 200, response: SavedSourceResponse },
  { method: "GET", path: "/apps/{app}/kv", summary: "Key-value store: a page of keys with sizes (query: prefix, cursor, limit 1–1000, store)", scope: "read", status: 200, response: KvPageResponse },
  { method: "GET", path: "/apps/{app}/kv/entry", summary: "One key's value (query: key, store; raw=1 answers the bytes)", scope: "read", status: 200, response: KvEntryResponse },
  { method: "PUT", path: "/apps/{app}/kv/entry", summary: "Set a key (query: key, store), optionally with a TTL; quota errors are 413", scope: "deploy", body: SetKvInput, status: 200, response: KvEntryResponse },
  { method: "DELETE", path: "/apps/{app}/kv/entry", summary: "Delete a key (query: key, store)", scope: "deploy", status: 204 },
  { method: "POST", path: "/apps/{app}/kv/increment", summary: "Atomically add to a decimal integer value (query: key, store)", scope: "deploy", body: IncrementKvInput, status: 200, response: KvIncrementResponse },
  { method: "POST", path: "/apps/{app}/kv/cas", summary: "Compare-and-set (query: key, store); 409 when the key does not hold `expected`", scope: "deploy", body: CompareAndSetKvInput, status: 204 },
  { method: "POST", path: "/apps/{app}/kv/delete-prefix", summary: "Delete every key with a prefix (query: store); the empty prefix needs `all: true`", scope: "deploy", body: DeleteKvPrefixInput, status: 200, response: KvDeletedResponse },
  { method: "GET", path: "/apps/{app}/kv/usage", summary: "Keys and bytes used by the app's stores, its quotas and warnings past 80%", scope: "read", status: 200, response: KvUsageResponse },
  { method: "GET", path: "/templates", summary: "List app templates", scope: "read", status: 200, response: TemplatesResponse },
  { method: "GET", path: "/templates/{id}", summary: "A template's files (query: app, the name its manifest gets)", scope: "read", status: 200, response: TemplateFilesResponse },
  { method: "GET", path: "/tokens", summary: "List API tokens", scope: "admin", status: 200, response: TokensResponse },
  { method: "POST", path: "/tokens", summary: "Create an API token (its secret is in this answer only)", scope: "admin", body: CreateTokenInput, status: 201, response: CreatedTokenResponse },
  { method: "DELETE", path: "/tokens/{id}", summary: "Revoke an API token", scope: "admin", status: 204 },
  ...EDITOR_ROUTES,
  ...FILES_ROUTES,
  ...ENV_ROUTES,
  ...SCHEDULE_ROUTES,
  ...BILLING_ROUTES,
  ...SECURITY_ROUTES,
  ...ACCOUNT_ROUTES,
  ...TEAM_ROUTES,
];
