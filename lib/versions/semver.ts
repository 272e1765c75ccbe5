import { z } from "zod";

// semver.org's grammar: MAJOR.MINOR.PATCH with optional -prerelease and +build.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export const VersionNumber = z
  .string()
  .trim()
  .max(64, "Version must be at most 64 characters")
  .regex(SEMVER, "Version must be a semantic version such as 0.0.1 or 1.2.0-beta.1");
