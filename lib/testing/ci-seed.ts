/** The fast-check seed of CI runs (lib/testing/fast-check-seed.ts), and of the browser's fuzz cases (e2e/wasm-host), which always use one. */
export const CI_SEED = 20261126;
