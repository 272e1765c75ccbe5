// Where users reach their functions. `npm start` sets GATEWAY_PUBLIC_URL to the gateway it starts.
export function gatewayBaseUrl(): string {
  return (process.env.GATEWAY_PUBLIC_URL ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? 3001}`).replace(/\/$/, "");
}

export function tenantGatewayUrl(tenantName: string, appName = "<app>"): string {
  return `${gatewayBaseUrl()}/${tenantName}/${appName}`;
}
