import { KESTRA_ID_PATTERN } from '@callbridge/contracts';

/** Which Kestra tenants a source's deliveries may resume executions in. */
export interface KestraTenantRule {
  /** KESTRA_TENANT: what a push naming no tenant goes to. */
  defaultTenant: string;
  /** KESTRA_ALLOWED_TENANTS, for the default webhook URL (source null). */
  defaultSourceTenants: readonly string[];
}

export type KestraTargetRefusal = 'invalid-execution-id' | 'invalid-tenant' | 'tenant-not-allowed';

/**
 * Why a push must not be sent, or undefined when it may. The execution id and tenant come from the
 * call's assistantOverrides.metadata, which whoever holds a source's secret writes: a source resumes
 * only executions of the tenants it is allowed (its kestraTenants, by default KESTRA_TENANT alone).
 */
export function kestraTargetRefusal(
  target: { executionId: string; tenant: string | null },
  /** The call's source's kestra_tenants: null for a source without a list, undefined for the default source. */
  sourceTenants: readonly string[] | null | undefined,
  rule: KestraTenantRule,
): KestraTargetRefusal | undefined {
  if (!KESTRA_ID_PATTERN.test(target.executionId)) return 'invalid-execution-id';
  const tenant = target.tenant ?? rule.defaultTenant;
  if (!KESTRA_ID_PATTERN.test(tenant)) return 'invalid-tenant';
  const allowed =
    sourceTenants === undefined ? rule.defaultSourceTenants : (sourceTenants ?? [rule.defaultTenant]);
  return allowed.includes(tenant) ? undefined : 'tenant-not-allowed';
}
