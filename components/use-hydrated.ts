"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False during server rendering and hydration, true once React owns the page. Forms keep their
 * submit button disabled until then: a click that lands before hydration would otherwise submit
 * natively (a GET with the fields in the URL) instead of running the form's handler.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
