// Property tests: in CI (CI=true) every run uses the same seed, so a red build is reproducible and
// a green one is not a coin toss; elsewhere each run explores new inputs. FC_SEED overrides both,
// e.g. to replay the seed a failure printed.
import fc from "fast-check";
import { CI_SEED } from "./ci-seed";

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : process.env.CI ? CI_SEED : undefined;
if (seed !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
