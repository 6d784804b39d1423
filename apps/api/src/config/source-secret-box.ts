import { createSecretBox, type SecretBox } from '../lib/secret-box.ts';
import type { AppConfig } from './config-schema.ts';

/** The key ring for source secrets; undefined without SOURCE_SECRETS_KEY (no admin API then). */
export function sourceSecretBox(config: AppConfig): SecretBox | undefined {
  if (!config.SOURCE_SECRETS_KEY) return undefined;
  return createSecretBox(config.SOURCE_SECRETS_KEY, config.SOURCE_SECRETS_PREVIOUS_KEYS ?? []);
}
