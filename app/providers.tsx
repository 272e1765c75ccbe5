"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { SessionProvider } from "next-auth/react";
import { useState, type ReactNode } from "react";
import { config as zodConfig } from "zod/v4/core";

// zod probes `new Function("")` to decide whether to compile its parsers; under the console's
// Content-Security-Policy (no 'unsafe-eval') that probe is a reported violation. Never JIT in
// the browser (the server keeps zod's compiled parsers).
if (typeof window !== "undefined") zodConfig({ jitless: true });

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, retry: 1 } } }));
  return (
    <SessionProvider>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </SessionProvider>
  );
}
