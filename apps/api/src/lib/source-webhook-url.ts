/** Where VAPI posts for a source: PUBLIC_BASE_URL when set, else the origin the admin request came to. */
export function sourceWebhookUrl(baseUrl: string, sourceId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/v1/vapi/sources/${sourceId}/webhook`;
}
