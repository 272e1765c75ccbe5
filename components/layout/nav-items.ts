// The console's navigation. `available: false` items are shown as coming, never as links, until
// the issue that builds them lands.
export interface NavItem {
  label: string;
  href: string;
  available: boolean;
}

export const NAV_ITEMS: NavItem[] = [
  { label: "Overview", href: "/dashboard", available: true },
  { label: "Apps", href: "/dashboard/apps", available: true },
  { label: "Datastores", href: "/dashboard/datastores", available: true },
  { label: "Logs", href: "/dashboard/logs", available: true },
  { label: "Usage & billing", href: "/dashboard/usage", available: true },
  { label: "Team", href: "/dashboard/team", available: true },
  { label: "API tokens", href: "/dashboard/tokens", available: true },
  { label: "Settings", href: "/dashboard/settings", available: true },
];
