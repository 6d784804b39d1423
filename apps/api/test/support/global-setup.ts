import { startLocalSupabase } from '@callbridge/supabase-local';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    supabase: { url: string; anonKey: string; serviceRoleKey: string; dbUrl: string };
  }
}

/** One throwaway local Supabase stack for the run; every test writes its own call ids into it. */
export default async function setup(project: TestProject) {
  const stack = await startLocalSupabase();
  project.provide('supabase', {
    url: stack.url,
    anonKey: stack.anonKey,
    serviceRoleKey: stack.serviceRoleKey,
    dbUrl: stack.dbUrl,
  });
  return () => stack.stop();
}
