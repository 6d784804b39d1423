/**
 * The recording URL the call view may play: https only. The URL comes from the webhook payload, so a
 * source's sender chooses it; an http: recording would load over the network in the clear (and be
 * blocked as mixed content behind TLS), and anything else (javascript:, data:, blob:) is no recording.
 */
export function playableRecordingUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  const parsed = URL.parse(url);
  return parsed?.protocol === 'https:' ? parsed.href : null;
}
