// Browser stand-in for the Node built-ins ("fs", "module") that the AssemblyScript compiler and
// wabt.js import only on their Node code paths; next.config.mjs aliases them here for the browser.
// The compile worker never takes those paths: it hands asc readFile/writeFile/listFiles hooks.
const stub = {};
export default stub;
export const promises = {};
export const readFileSync = undefined;
export const createRequire = () => {
  throw new Error("require is not available in the browser");
};
