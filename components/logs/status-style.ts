export function statusStyle(status: number | null): string {
  if (status === null) return "text-slate-400";
  if (status >= 500) return "text-red-600";
  if (status >= 400) return "text-amber-600";
  return "text-emerald-700";
}
