import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-full flex-col items-center justify-center gap-3">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <Link href="/dashboard" className="text-sm text-indigo-600 hover:text-indigo-500">
        Back to the console
      </Link>
    </main>
  );
}
