import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_VARIABLES } from '../../../src/config/config-schema.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { validEnv } from '../../support/config-env.ts';

const DEPLOY = path.resolve(import.meta.dirname, '../../../../../deploy');

interface ComposeService {
  image: string;
  env_file?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  stop_grace_period?: string;
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(path.join(DEPLOY, 'compose.yaml'), 'utf8')) as {
  services: Record<string, ComposeService>;
};
const envExample = Object.fromEntries(
  readFileSync(path.join(DEPLOY, 'compose.env.example'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);

describe('deploy/compose.yaml', () => {
  it('mounts only files that exist, and runs the migrations before Callbridge starts', () => {
    for (const service of Object.values(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (source.startsWith('.')) expect(existsSync(path.join(DEPLOY, source)), volume).toBe(true);
      }
    }
    expect(compose.services.callbridge?.depends_on?.migrate).toEqual({
      condition: 'service_completed_successfully',
    });
  });

  it('sets only variables the API reads', () => {
    const known = new Set(ENV_VARIABLES);
    const names = [
      ...Object.keys(envExample),
      ...Object.keys(compose.services.callbridge?.environment ?? {}),
    ];
    expect(names.filter((name) => !known.has(name))).toEqual([]);
  });

  it('waits for the whole drain before SIGKILL', () => {
    const grace = /^(\d+)s$/.exec(compose.services.callbridge?.stop_grace_period ?? '');
    const { shutdown } = loadConfig(validEnv).server;
    expect(Number(grace?.[1]) * 1000).toBeGreaterThan(shutdown.timeoutMs);
  });
});
