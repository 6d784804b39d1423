import { SignJWT } from 'jose';

export type SupabaseRole = 'anon' | 'service_role';

const TEN_YEARS_IN_SECONDS = 10 * 365 * 24 * 60 * 60;

/** Signs an API key the way Supabase does: an HS256 JWT whose `role` claim PostgREST switches to. */
export async function signApiKey(role: SupabaseRole, jwtSecret: string): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1000);
  return new SignJWT({ role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer('supabase-local')
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + TEN_YEARS_IN_SECONDS)
    .sign(new TextEncoder().encode(jwtSecret));
}
