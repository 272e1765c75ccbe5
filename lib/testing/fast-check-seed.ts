// Property tests: in CI (CI=true) every run uses the same seed, so a red build is reproducible and
// a green one is not a coin toss; elsewhere each run explores new inputs. FC_SEED overrides both,
// e.g. to replay the seed a failure printed.
import fc from "fast-check";

/** The seed of CI runs, and of the browser's fuzz cases (e2e/wasm-host), which always use one. */
export const CI_SEED = 20261126;

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : process.env.CI ? CI_SEED : undefined;
if (seed !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
