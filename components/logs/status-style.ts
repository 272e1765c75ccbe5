export function statusStyle(status: number | null): string {
  if (status === null) return "text-slate-500";
  if (status >= 500) return "text-red-600";
  if (status >= 400) return "text-amber-700";
  return "text-emerald-700";
}
