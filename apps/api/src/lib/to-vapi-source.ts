import type { VapiSource } from '@callbridge/contracts';
import type { SourceOverviewRow } from '../schemas/source-row-schema.ts';
import { isoTimestamp, isoTimestampOrNull } from './iso-timestamp.ts';
import { sourceWebhookUrl } from './source-webhook-url.ts';

/** A source as the admin API shows it, with the webhook URL to set in VAPI under `baseUrl`. */
export function toVapiSource(row: SourceOverviewRow, baseUrl: string): VapiSource {
  return {
    id: row.id,
    name: row.name,
    verification: row.verification,
    active: row.active,
    webhookUrl: sourceWebhookUrl(baseUrl, row.id),
    relayUrl: row.relay_url,
    callCount: row.call_count,
    lastDeliveryAt: isoTimestampOrNull(row.last_delivery_at),
    secretRotatedAt: isoTimestampOrNull(row.secret_rotated_at),
    kestraTenants: row.kestra_tenants,
    createdAt: isoTimestamp(row.created_at),
    updatedAt: isoTimestamp(row.updated_at),
  };
}
