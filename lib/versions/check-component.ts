// The publish checks of a WASI 0.2 component (the module checks' counterpart, check-module.ts): its
// world must be one we can serve (it exports wasi:http/incoming-handler@0.2.x and imports only
// what lib/wasm/component/world.ts provides), and it is transpiled once, here, into the packed
// artifact the gateway runs (core modules memory-capped like any module). Refusals are 422s whose
// message says what the component imports or lacks and what we provide.
import { AppError } from "@/lib/errors";
import { DEFAULT_ROUTE } from "@/lib/wasm/route-pattern";
import { ComponentTranspileTimeout, transpileComponentInWorker, type TranspileAnswer, type TranspileRequest } from "./transpile-component-in-worker";

export interface CheckedComponent {
  /** The packed artifact (lib/wasm/component/artifact.ts): what the gateway fetches by moduleSha256. */
  artifact: Uint8Array<ArrayBuffer>;
  artifactSha256: string;
  /** The upload as it came, kept for the version's download. */
  sourceSha256: string;
  world: { imports: string[]; exports: string[] };
}

export interface CheckComponentOptions {
  bytes: Uint8Array;
  memoryMb: number;
  /** The manifest's routes: a component has one handler, so none may name an entrypoint. */
  routes: { path: string; entrypoint: string }[];
  transpile?: (request: TranspileRequest) => Promise<TranspileAnswer>;
}

export async function checkComponent({ bytes, memoryMb, routes, transpile = transpileComponentInWorker }: CheckComponentOptions): Promise<CheckedComponent> {
  routes.forEach((route, i) => {
    if (route.entrypoint !== DEFAULT_ROUTE.entrypoint) {
      throw new AppError(
        "UNPROCESSABLE",
        `wasmcompute.yaml: routes[${i}] names entrypoint "${route.entrypoint}", but a component has one handler (wasi:http/incoming-handler) that serves every route: leave entrypoint out.`,
        { field: "manifest" },
      );
    }
  });
  let answer: TranspileAnswer;
  try {
    answer = await transpile({ bytes, memoryMb });
  } catch (e) {
    if (e instanceof ComponentTranspileTimeout) {
      throw new AppError("UNPROCESSABLE", `The component could not be checked: ${e.message}. Publish a smaller component.`, { field: "module" });
    }
    throw e;
  }
  if (answer.ok) {
    const { artifact, artifactSha256, sourceSha256, imports, exports } = answer;
    return { artifact, artifactSha256, sourceSha256, world: { imports, exports } };
  }
  if ("problems" in answer) throw new AppError("UNPROCESSABLE", answer.problems.join(" "), { field: "module" });
  throw new Error(`transpiling a component failed: ${answer.error}`);
}
