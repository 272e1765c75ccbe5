// The OpenAPI 3.1 document of the REST API, generated from API_ROUTES and their zod schemas.
import { z } from "zod";
import { API_ROUTES } from "./api-routes";

const ERROR = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        field: { type: "string" },
        fields: { type: "object", additionalProperties: { type: "string" }, description: "Every invalid field and what to do, the field named in words" },
      },
    },
  },
};

/** A response's JSON Schema, as its zod schema (lib/api-shapes) describes what the server sends. */
export function responseSchema(schema: z.ZodType) {
  return z.toJSONSchema(schema, { io: "output", unrepresentable: "any" });
}

export function openApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) {
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const requestBody =
      route.body === "multipart"
        ? {
            required: true,
            content: {
              "multipart/form-data": {
                schema: {
                  type: "object",
                  required: ["version", "module"],
                  properties: {
                    version: { type: "string", example: "0.0.1" },
                    module: { type: "string", format: "binary" },
                    manifest: { type: "string", format: "binary", description: "wasmcompute.yaml" },
                    files: { type: "array", items: { type: "string", format: "binary" }, description: "each part's filename is its path in the app" },
                  },
                },
              },
            },
          }
        : route.body === "wasm"
          ? { required: true, content: { "application/wasm": { schema: { type: "string", format: "binary" } } } }
          : route.body
          ? { required: true, content: { "application/json": { schema: z.toJSONSchema(route.body, { io: "input", unrepresentable: "any" }) } } }
          : undefined;
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      summary: route.summary,
      security: route.scope ? [{ bearer: [] }, { session: [] }] : [],
      ...(route.scope ? { "x-required-scope": route.scope } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses: {
        [route.status]: {
          description: "Success",
          ...(route.response ? { content: { "application/json": { schema: responseSchema(route.response) } } } : {}),
        },
        default: { description: "Error", content: { "application/json": { schema: ERROR } } },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "WasmCompute API", version: "1", description: "Apps, versions, deployments and tokens. Errors are `{ error: { code, message, field?, fields? } }` (`fields`: each invalid field's message, named in words)." },
    servers: [{ url: `${serverUrl.replace(/\/$/, "")}/api/v1` }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API token (wc_…) from the console's API tokens page" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
    },
    paths,
  };
}
