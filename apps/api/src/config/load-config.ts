import { type AppConfig, configSchema } from './config-schema.ts';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once, at start. Problems name the variable but never echo its value:
 * several of these are secrets.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const withoutBlanks = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = configSchema.safeParse(withoutBlanks);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const missing = issue.code === 'invalid_type' && withoutBlanks[variable] === undefined;
    return `${variable}: ${missing ? 'is required' : issue.message}`;
  });
  throw new ConfigError(problems);
}
