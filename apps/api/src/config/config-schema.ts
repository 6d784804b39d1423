import { z } from 'zod';
import { adminEnv, adminSettings } from './admin-settings.ts';
import { checkAcrossSections } from './cross-section-rules.ts';
import { dashboardEnv, dashboardSettings } from './dashboard-settings.ts';
import { kestraEnv, kestraSettings } from './kestra-settings.ts';
import { observabilityEnv, observabilitySettings } from './observability-settings.ts';
import { readsEnv, readsSettings } from './reads-settings.ts';
import { retentionEnv, retentionSettings } from './retention-settings.ts';
import { serverEnv, serverSettings } from './server-settings.ts';
import { supabaseEnv, supabaseSettings } from './supabase-settings.ts';
import { vapiEnv, vapiSettings } from './vapi-settings.ts';
import { webhookAuthEnv, webhookAuthSettings } from './webhook-auth-settings.ts';
import { webhookEnv, webhookSettings } from './webhook-settings.ts';

/**
 * The settings by area, in the order `.env.example` lists them under `# --- <title> ---`. Each section
 * parses the variables it owns (`env`), checks its own cross-field rules and builds the finished
 * settings its plugins take; a section may also read a variable another one owns (its file says which).
 */
export const CONFIG_SECTIONS = {
  server: { title: 'HTTP server', env: serverEnv, settings: serverSettings },
  supabase: { title: 'Supabase', env: supabaseEnv, settings: supabaseSettings },
  reads: { title: 'Read API', env: readsEnv, settings: readsSettings },
  admin: { title: 'Sources and the admin API', env: adminEnv, settings: adminSettings },
  webhookAuth: { title: 'VAPI webhook authentication', env: webhookAuthEnv, settings: webhookAuthSettings },
  vapi: { title: 'VAPI answers and relay', env: vapiEnv, settings: vapiSettings },
  webhook: { title: 'Webhook intake, store and spool', env: webhookEnv, settings: webhookSettings },
  retention: { title: 'Retention', env: retentionEnv, settings: retentionSettings },
  observability: { title: 'Metrics and tracing', env: observabilityEnv, settings: observabilitySettings },
  kestra: { title: 'Push to Kestra', env: kestraEnv, settings: kestraSettings },
  dashboard: { title: 'Dashboard and simulator', env: dashboardEnv, settings: dashboardSettings },
} as const;

export type SectionName = keyof typeof CONFIG_SECTIONS;
const SECTION_NAMES = Object.keys(CONFIG_SECTIONS) as SectionName[];

const sectionsSchema = z.object({
  server: serverSettings,
  supabase: supabaseSettings,
  reads: readsSettings,
  admin: adminSettings,
  webhookAuth: webhookAuthSettings,
  vapi: vapiSettings,
  webhook: webhookSettings,
  retention: retentionSettings,
  observability: observabilitySettings,
  kestra: kestraSettings,
  dashboard: dashboardSettings,
});

export type SectionedConfig = z.output<typeof sectionsSchema>;

/** Every environment variable the API reads, each named once, by section. `.env.example` documents each one. */
export const ENV_VARIABLES: readonly string[] = SECTION_NAMES.flatMap((name) =>
  Object.keys(CONFIG_SECTIONS[name].env.shape),
);

export function isSectionName(value: unknown): value is SectionName {
  return typeof value === 'string' && Object.hasOwn(CONFIG_SECTIONS, value);
}

/**
 * The environment in, the settings by section out: every section reads the same environment; the
 * rules across sections run once all of them parsed.
 */
export const configSchema = z
  .record(z.string(), z.string())
  .transform(
    (env) =>
      Object.fromEntries(SECTION_NAMES.map((name) => [name, env])) as unknown as z.input<
        typeof sectionsSchema
      >,
  )
  .pipe(sectionsSchema)
  .transform((config, context) => {
    checkAcrossSections(config, context);
    return config;
  });

export type AppConfig = z.output<typeof configSchema>;
