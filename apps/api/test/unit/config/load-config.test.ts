import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load-config.ts';

const validEnv = {
  SUPABASE_URL: 'https://abc.supabase.co',
  SUPABASE_SERVICE_ROLE_KEY: 'service-role-key-value',
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(validEnv);
    expect(config).toMatchObject({ PORT: 8000, HOST: '0.0.0.0', LOG_LEVEL: 'info', TRUST_PROXY: false });
  });

  it('names every missing required variable', () => {
    expect(problemsOf({})).toEqual(['SUPABASE_URL: is required', 'SUPABASE_SERVICE_ROLE_KEY: is required']);
  });

  it('treats an empty variable as missing', () => {
    expect(problemsOf({ ...validEnv, SUPABASE_SERVICE_ROLE_KEY: '' })).toEqual([
      'SUPABASE_SERVICE_ROLE_KEY: is required',
    ]);
  });

  it('rejects a port that is not a port and a URL that is not http(s)', () => {
    const problems = problemsOf({ ...validEnv, PORT: '70000', SUPABASE_URL: 'ftp://example.com' });
    expect(problems).toEqual([
      'PORT: Too big: expected number to be <=65535',
      expect.stringMatching(/^SUPABASE_URL: must be an http\(s\) URL/),
    ]);
  });

  it('coerces numbers and booleans from their string form', () => {
    const config = loadConfig({ ...validEnv, PORT: '9001', TRUST_PROXY: 'true' });
    expect(config.PORT).toBe(9001);
    expect(config.TRUST_PROXY).toBe(true);
  });

  it('never echoes a value in its message', () => {
    const error = (() => {
      try {
        loadConfig({ SUPABASE_URL: 'not a url with secret-abc123', SUPABASE_SERVICE_ROLE_KEY: 'x' });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error?.message).toContain('SUPABASE_URL');
    expect(error?.message).not.toContain('secret-abc123');
  });
});
