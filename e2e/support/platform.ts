// Stories that need a platform of their own (e.g. a restart) start one like `npm start` does.
export { startPlatform, type Platform } from "../../lib/testing/platform";
