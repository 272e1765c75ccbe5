// The API's shapes, as the console's client code sees them: inferred from lib/api-shapes, the
// same schemas the route handlers, the OpenAPI document and the CLI use.
export type { AppView, DeploymentView, LiveRouteView } from "@/lib/api-shapes/app-shapes";
export type { FileView, VersionView } from "@/lib/api-shapes/version-shapes";
export type { TokenView } from "@/lib/api-shapes/token-shapes";
export type { TemplateView } from "@/lib/api-shapes/template-shapes";
export type { SourceView } from "@/lib/api-shapes/source-shapes";
export type { KvKeyView, KvPageResponse, KvUsageView, KvValueView } from "@/lib/api-shapes/kv-shapes";
export type { EnvVarsResponse, EnvVarView } from "@/lib/api-shapes/env-shapes";
export type { ScheduledRunResponse, ScheduledRunView, SchedulesResponse, ScheduleView } from "@/lib/api-shapes/schedule-shapes";
export type { LogEntry, LogsResponse, RequestLogResponse, RequestView } from "@/lib/api-shapes/log-shapes";
export type { SpendingCapResponse, SpendingCapState } from "@/lib/api-shapes/billing-shapes";
export type { SavedRequestResponse, SavedRequestsResponse, SavedRequestView } from "@/lib/api-shapes/saved-request-shapes";
export type { Invoice, InvoiceSummary, InvoicesResponse } from "@/lib/api-shapes/billing-shapes";
export type { Bill, BillingSummary, UsageTotals } from "@/lib/api-shapes/usage-shapes";
export type { AppMetrics, MetricsWindow } from "@/lib/api-shapes/metrics-shapes";
export type { CreatedInvitationResponse, CurrentTenantResponse, InvitationView, MemberView, MyTenantView } from "@/lib/api-shapes/team-shapes";
