/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets several checkouts' builds (or parallel work in one tree) not overwrite each other.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm test` type-checks the whole project (tsc --noEmit) once; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // Native and driver packages stay in node_modules rather than in the server bundle.
  // A whole-page prefetch (the sidebar's, components/layout/sidebar.tsx) is kept as "static": at most
  // 30 s (Next's least), not the default 5 minutes, so a click never shows a console page that old.
  experimental: { staleTimes: { static: 30 } },
  // esbuild: bundles the component transpiler's worker at the first component publish (lib/versions/transpile-component-in-worker.ts).
  serverExternalPackages: ["@node-rs/argon2", "pg", "@prisma/adapter-pg", "@electric-sql/pglite", "wabt", "@bytecodealliance/jco-transpile", "@bytecodealliance/jco", "esbuild"],
  // The IDE's compile worker bundles the AssemblyScript compiler and wabt.js, which import these
  // Node built-ins on their Node-only code paths: give the browser build an empty stand-in.
  turbopack: {
    resolveAlias: {
      fs: { browser: "./lib/editor/node-builtin-stub.ts" },
      module: { browser: "./lib/editor/node-builtin-stub.ts" },
      // Binaryen's npm build inlines its 9 MB wasm as a JS string; the browser gets the glue alone
      // and fetches the wasm from /compiler/ (lib/editor/binaryen-split.ts).
      binaryen: { browser: "./lib/editor/compile-binaryen-browser.ts" },
    },
  },
  async headers() {
    return [
      {
        // Every path but the IDE's preview frame, which the console itself frames (app/preview-frame).
        source: "/:path((?!preview-frame$).*)",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
      {
        source: "/preview-frame",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "SAMEORIGIN" },
          { key: "Referrer-Policy", value: "no-referrer" },
        ],
      },
    ];
  },
};

export default nextConfig;
