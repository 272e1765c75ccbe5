// The API's shapes, as the console's client code sees them.
export type { AppView, DeploymentView, LiveRouteView } from "@/lib/apps/app-view";
export type { VersionView, FileView } from "@/lib/versions/version-view";
export type { TokenView } from "@/lib/tokens/tokens";
