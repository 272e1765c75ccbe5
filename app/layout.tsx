import type { Metadata } from "next";
import type { ReactNode } from "react";
import { connection } from "next/server";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "WasmCompute", template: "%s · WasmCompute" },
  description: "Serverless WebAssembly you can host yourself",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request, so that Next.js puts the CSP nonce of proxy.ts on its scripts.
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
