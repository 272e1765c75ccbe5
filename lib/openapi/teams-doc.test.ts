// docs/teams.md shows the roles table and which role each API route needs; both tables are the
// code's (lib/auth/roles.ts, the lib/openapi route tables), checked here row by row.
// After changing either: UPDATE_TEAMS_DOC=1 npx vitest run lib/openapi/teams-doc.test.ts
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROLES, ROLE_RIGHTS, roleAllows } from "@/lib/auth/roles";
import { API_ROUTES } from "./api-routes";

const DOC = path.resolve(import.meta.dirname, "../../docs/teams.md");

function rolesTable(): string {
  const rows = ROLES.map((r) => `| ${r} | \`${ROLE_RIGHTS[r].scope}\` | ${ROLE_RIGHTS[r].can} |`);
  return ["| role | scope | may |", "|---|---|---|", ...rows].join("\n");
}

function routesTable(): string {
  const mark = (ok: boolean) => (ok ? "yes" : "—");
  const rows = API_ROUTES.filter((r) => r.scope !== null).map((r) => {
    const cells = [...ROLES].reverse().map((role) => mark(roleAllows(role, r.scope!)));
    const note = r.sessionOnly ? " (console session only)" : r.tokenScope ? ` (a token: \`${r.tokenScope}\`)` : "";
    return `| \`${r.method} ${r.path}\` | \`${r.scope}\`${note} | ${cells.join(" | ")} |`;
  });
  return ["| route | needs | viewer | developer | admin | owner |", "|---|---|---|---|---|---|", ...rows].join("\n");
}

/** The text between `<!-- name -->` and `<!-- /name -->`. */
function section(doc: string, name: string): string {
  const start = doc.indexOf(`<!-- ${name} -->`);
  const end = doc.indexOf(`<!-- /${name} -->`);
  if (start < 0 || end < 0) throw new Error(`docs/teams.md has no <!-- ${name} --> … <!-- /${name} --> section`);
  return doc.slice(start + `<!-- ${name} -->`.length, end).trim();
}

describe("docs/teams.md", () => {
  const tables = { "roles-table": rolesTable(), "routes-table": routesTable() };
  if (process.env.UPDATE_TEAMS_DOC) {
    let doc = readFileSync(DOC, "utf8");
    for (const [name, table] of Object.entries(tables)) {
      section(doc, name);
      const [open, close] = [`<!-- ${name} -->`, `<!-- /${name} -->`];
      doc = doc.slice(0, doc.indexOf(open) + open.length) + `\n${table}\n` + doc.slice(doc.indexOf(close));
    }
    writeFileSync(DOC, doc);
  }
  const doc = readFileSync(DOC, "utf8");
  for (const [name, table] of Object.entries(tables)) {
    it(`shows the code's ${name}`, () => expect(section(doc, name)).toBe(table));
  }
});
