// The OpenAPI document describes what the routes answer with the very schemas the route handlers'
// views, the console's client types and the CLI use (lib/api-shapes): for every route of apps,
// versions, deployments, drafts, tokens, templates, key-value stores, environment variables, schedules, logs, metrics, usage, the spending cap, invoices, saved requests and the account, its success response is that schema's JSON Schema.
// (app/api/v1/api.test.ts parses the real answers with them.)
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppResponse, AppsResponse, DeploymentResponse, DeploymentsResponse } from "@/lib/api-shapes/app-shapes";
import { EnvVarResponse, EnvVarsResponse } from "@/lib/api-shapes/env-shapes";
import { ScheduledRunResponse, SchedulesResponse } from "@/lib/api-shapes/schedule-shapes";
import { RevokedSessionsResponse } from "@/lib/api-shapes/account-shapes";
import { InvoiceResponse, InvoicesResponse, SpendingCapResponse } from "@/lib/api-shapes/billing-shapes";
import { AppMetrics } from "@/lib/api-shapes/metrics-shapes";
import { BillingSummary } from "@/lib/api-shapes/usage-shapes";
import { KvDeletedResponse, KvEntryResponse, KvIncrementResponse, KvPageResponse, KvUsageResponse } from "@/lib/api-shapes/kv-shapes";
import { LogsResponse, RequestLogResponse } from "@/lib/api-shapes/log-shapes";
import { SavedRequestResponse, SavedRequestsResponse } from "@/lib/api-shapes/saved-request-shapes";
import { SavedSourceResponse, SourceResponse } from "@/lib/api-shapes/source-shapes";
import { TemplateFilesResponse, TemplatesResponse } from "@/lib/api-shapes/template-shapes";
import { CreatedTokenResponse, PasswordLoginResponse, SignUpResponse, TokensResponse } from "@/lib/api-shapes/token-shapes";
import { FilesResponse, VersionResponse, VersionsResponse, VersionWithFilesResponse } from "@/lib/api-shapes/version-shapes";
import { openApiDocument } from "./openapi-document";

const EXPECTED: [method: string, path: string, status: number, schema: z.ZodType][] = [
  ["post", "/signup", 201, SignUpResponse],
  ["post", "/login", 201, PasswordLoginResponse],
  ["get", "/apps/{app}/schedules", 200, SchedulesResponse],
  ["post", "/apps/{app}/schedules/runs", 202, ScheduledRunResponse],
  ["get", "/apps", 200, AppsResponse],
  ["post", "/apps", 201, AppResponse],
  ["get", "/apps/{app}", 200, AppResponse],
  ["get", "/apps/{app}/versions", 200, VersionsResponse],
  ["post", "/apps/{app}/versions", 201, VersionResponse],
  ["get", "/apps/{app}/versions/{version}", 200, VersionWithFilesResponse],
  ["get", "/apps/{app}/versions/{version}/files", 200, FilesResponse],
  ["get", "/apps/{app}/deployments", 200, DeploymentsResponse],
  ["post", "/apps/{app}/deployments", 201, DeploymentResponse],
  ["post", "/apps/{app}/rollback", 201, DeploymentResponse],
  ["get", "/apps/{app}/source", 200, SourceResponse],
  ["put", "/apps/{app}/source", 200, SavedSourceResponse],
  ["get", "/tokens", 200, TokensResponse],
  ["post", "/tokens", 201, CreatedTokenResponse],
  ["get", "/templates", 200, TemplatesResponse],
  ["get", "/templates/{id}", 200, TemplateFilesResponse],
  ["get", "/apps/{app}/kv", 200, KvPageResponse],
  ["get", "/apps/{app}/kv/entry", 200, KvEntryResponse],
  ["put", "/apps/{app}/kv/entry", 200, KvEntryResponse],
  ["post", "/apps/{app}/kv/increment", 200, KvIncrementResponse],
  ["post", "/apps/{app}/kv/delete-prefix", 200, KvDeletedResponse],
  ["get", "/apps/{app}/kv/usage", 200, KvUsageResponse],
  ["get", "/apps/{app}/env", 200, EnvVarsResponse],
  ["put", "/apps/{app}/env/{name}", 200, EnvVarResponse],
  ["get", "/apps/{app}/logs", 200, LogsResponse],
  ["get", "/logs", 200, LogsResponse],
  ["get", "/billing", 200, SpendingCapResponse],
  ["get", "/apps/{app}/requests", 200, SavedRequestsResponse],
  ["delete", "/account/sessions", 200, RevokedSessionsResponse],
  ["put", "/apps/{app}/requests/{name}", 200, SavedRequestResponse],
  ["put", "/billing/cap", 200, SpendingCapResponse],
  ["get", "/apps/{app}/logs/requests/{requestId}", 200, RequestLogResponse],
  ["put", "/account/password", 200, RevokedSessionsResponse],
  ["get", "/usage", 200, BillingSummary],
  ["get", "/billing/invoices", 200, InvoicesResponse],
  ["get", "/billing/invoices/{month}", 200, InvoiceResponse],
  ["get", "/apps/{app}/metrics", 200, AppMetrics],
];

describe("the OpenAPI document's responses", () => {
  const doc = openApiDocument("http://console.test") as unknown as {
    paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
  };

  it.each(EXPECTED)("%s %s answers %i with its lib/api-shapes schema", (method, path, status, schema) => {
    const response = doc.paths[path]?.[method]?.responses[status];
    expect(response?.content?.["application/json"]?.schema).toEqual(z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }));
  });

  it("spells out the fields clients rely on", () => {
    const apps = doc.paths["/apps"]!.get!.responses[200]!.content!["application/json"]!.schema as {
      properties: { apps: { items: { required: string[]; properties: Record<string, { format?: string }> } } };
    };
    expect(apps.properties.apps.items.required).toEqual(["name", "template", "createdAt", "gatewayUrl", "live", "routes"]);
    expect(apps.properties.apps.items.properties.createdAt!.format).toBe("date-time");
  });
});
