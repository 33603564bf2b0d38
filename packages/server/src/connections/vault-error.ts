import { PrismError, type PrismErrorOptions } from '@prism/sdk';

/** The stable codes of a {@link VaultError}. */
export type VaultErrorCode =
  /** PRISM_ENCRYPTION_KEYS is not set, so no secret can be encrypted or decrypted. */
  | 'vault_not_configured'
  /** A secret is under a key id PRISM_ENCRYPTION_KEYS no longer lists. */
  | 'vault_key_missing'
  /** A secret failed authentication: changed, moved to another record, or under other key bytes. */
  | 'vault_decrypt_failed';

/** A failure of the token vault, with a stable code and a hint; never holds key or secret bytes. */
export class VaultError extends PrismError {
  declare readonly code: VaultErrorCode;

  constructor(code: VaultErrorCode, message: string, options: PrismErrorOptions = {}) {
    super(code, message, options);
  }
}
