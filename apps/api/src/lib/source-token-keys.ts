import { type AccessTokenKey, accessTokenKey } from './oauth-access-token.ts';
import type { SecretBox } from './secret-box.ts';

/**
 * The keys that sign sources' OAuth2 tokens, derived from SOURCE_SECRETS_KEY (and its previous keys):
 * every instance already shares it, so a token from one instance passes at all of them, and rotating
 * it rotates these (tokens signed under a previous key stay valid while that key is configured).
 */
export function sourceTokenKeys(box: SecretBox): AccessTokenKey[] {
  return box.deriveKeys('oauth-access-token').map((key) => accessTokenKey(key, 'source-webhook'));
}
