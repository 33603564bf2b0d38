/** How every Prism API key begins; a bearer without it is taken for an identity provider's token. */
export const API_KEY_PREFIX = 'prism_sk_';

/** The credential of an `Authorization: Bearer <credential>` header, or `undefined` without one. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
}
