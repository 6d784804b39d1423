import { type AppConfig, configSchema, isSectionName } from './config-schema.ts';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once, at start, into the settings by section. Problems name the variable
 * but never echo its value: several of these are secrets.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const withoutBlanks = Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
  const parsed = configSchema.safeParse(withoutBlanks);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    // Sections report under their own name; a variable two sections read is reported once.
    const path = isSectionName(issue.path[0]) && issue.path.length > 1 ? issue.path.slice(1) : issue.path;
    const variable = path.join('.') || '(environment)';
    const missing = issue.code === 'invalid_type' && withoutBlanks[variable] === undefined;
    return `${variable}: ${missing ? 'is required' : issue.message}`;
  });
  throw new ConfigError([...new Set(problems)]);
}
