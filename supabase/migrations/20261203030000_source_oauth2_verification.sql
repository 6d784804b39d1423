-- Sources may verify with VAPI's oauth2 credential (issue 17): VAPI fetches a token from the source's
-- token route (/api/v1/vapi/sources/{id}/oauth/token) with verification.clientId and the source's
-- secret as the client secret, then sends it as a bearer token. The secret stays in vapi_source_secrets,
-- sealed as before; verification holds { clientId, tokenTtlSeconds }. Bearer sources gain the
-- non-secret { headerName, bearerPrefixEnabled } in the same jsonb (defaults apply to rows without them).

alter table public.vapi_sources drop constraint vapi_sources_verification_mode_check;
alter table public.vapi_sources
  add constraint vapi_sources_verification_mode_check
  check (verification_mode in ('hmac', 'secret', 'bearer', 'oauth2'));
