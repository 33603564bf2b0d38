/**
 * The context a connection's tokens are encrypted under: the ciphertext decrypts only as the
 * secret of this connection.
 */
export function connectionContext(connectionId: string): string {
  return `connection:${connectionId}`;
}

/**
 * The context an OAuth state's PKCE verifier is encrypted under: the ciphertext decrypts only
 * as the verifier of this state.
 */
export function oauthStateContext(state: string): string {
  return `oauth-state:${state}`;
}
