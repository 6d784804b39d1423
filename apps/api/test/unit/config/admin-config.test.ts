import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../src/config/config-schema.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { validEnv as baseEnv, problemsOf } from '../../support/config-env.ts';

const sourceSecretBox = (config: AppConfig) => config.admin.secretBox;

const KEY = Buffer.alloc(32, 7).toString('base64');
const OLD_KEY = Buffer.alloc(32, 9).toString('base64');

describe('admin configuration', () => {
  it('leaves the admin API off by default', () => {
    const config = loadConfig(baseEnv);
    expect(config.admin.keys).toBeUndefined();
    expect(config.admin.api).toBeUndefined();
    expect(sourceSecretBox(config)).toBeUndefined();
  });

  it('requires SOURCE_SECRETS_KEY with ADMIN_API_KEYS', () => {
    expect(problemsOf({ ...baseEnv, ADMIN_API_KEYS: 'admin-key-0123456789abcdef' })).toEqual([
      expect.stringMatching(/^SOURCE_SECRETS_KEY: is required with ADMIN_API_KEYS/),
    ]);
  });

  it('refuses a key listed in both API_KEYS and ADMIN_API_KEYS', () => {
    const shared = 'shared-key-0123456789abcdef';
    const problems = problemsOf({
      ...baseEnv,
      API_KEYS: `kestra-key-0123456789,${shared}`,
      ADMIN_API_KEYS: shared,
      SOURCE_SECRETS_KEY: KEY,
    });
    expect(problems).toEqual([expect.stringMatching(/^ADMIN_API_KEYS: must not repeat a key of API_KEYS/)]);
  });

  it('refuses a short admin key and a key that is not 32 bytes, without echoing either', () => {
    const short = Buffer.alloc(16, 1).toString('base64');
    const problems = problemsOf({ ...baseEnv, ADMIN_API_KEYS: 'short-admin-key', SOURCE_SECRETS_KEY: short });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/ADMIN_API_KEYS\.0: each admin key must be at least 24 characters/);
    expect(problems.join('\n')).toMatch(/SOURCE_SECRETS_KEY: must be 32 bytes, base64-encoded/);
    expect(problems.join('\n')).not.toContain(short);
    expect(problemsOf({ ...baseEnv, SOURCE_SECRETS_PREVIOUS_KEYS: `${OLD_KEY},not-a-key` })).toEqual([
      expect.stringMatching(/^SOURCE_SECRETS_PREVIOUS_KEYS.*must be 32 bytes/),
    ]);
  });

  it('turns the admin API on with ADMIN_API_KEYS, with the read limits its routes share', () => {
    const { admin } = loadConfig({
      ...baseEnv,
      ADMIN_API_KEYS: 'admin-key-0123456789abcdef',
      SOURCE_SECRETS_KEY: KEY,
    });
    expect(admin.api).toMatchObject({
      keys: ['admin-key-0123456789abcdef'],
      publicBaseUrl: undefined,
      rateLimitPerMinute: 600,
      readKeyCacheMs: 10_000,
    });
    expect(admin.api?.secretBox).toBe(admin.secretBox);
  });

  it('builds a key ring whose previous keys still open what they sealed', () => {
    const before = sourceSecretBox(loadConfig({ ...baseEnv, SOURCE_SECRETS_KEY: OLD_KEY }));
    const after = sourceSecretBox(
      loadConfig({ ...baseEnv, SOURCE_SECRETS_KEY: KEY, SOURCE_SECRETS_PREVIOUS_KEYS: OLD_KEY }),
    );
    const sealed = before?.seal('hello', 'ctx') ?? '';
    expect(after?.open(sealed, 'ctx')).toBe('hello');
    expect(after?.isStale(sealed)).toBe(true);
  });
});
