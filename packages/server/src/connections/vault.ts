import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from 'node:crypto';
import { PrismError } from '@prism/sdk';
import { VaultError } from './vault-error.js';
import { parseEncryptionKeys } from './vault-keys.js';

/** A secret as the vault stores it: the id of the key it is under, and its encrypted bytes. */
export interface EncryptedSecret {
  /** The id (in PRISM_ENCRYPTION_KEYS) of the key it was encrypted with. */
  keyId: string;
  /** The 12-byte IV, the 16-byte authentication tag, then the encrypted bytes. */
  ciphertext: Uint8Array;
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts and decrypts secrets with AES-256-GCM under the keys of PRISM_ENCRYPTION_KEYS: the
 * first key encrypts, every listed key decrypts. Each secret is bound to a context (e.g.
 * `connection:<id>`, see `connectionContext`), authenticated with it, so a ciphertext copied
 * to another record does not decrypt. The key bytes never leave the instance.
 */
export class Vault {
  /** The id of the key new secrets are encrypted with (the first of PRISM_ENCRYPTION_KEYS). */
  readonly currentKeyId: string;
  readonly #currentKey: KeyObject;
  readonly #keys: ReadonlyMap<string, KeyObject>;

  /**
   * A vault of the keys in `encryptionKeys`, a PRISM_ENCRYPTION_KEYS value.
   *
   * @throws {PrismError} `invalid_config` naming the setting when a key is malformed, not 32
   *   bytes, or listed twice (never showing key bytes).
   */
  constructor(encryptionKeys: string) {
    const keys = parseEncryptionKeys(encryptionKeys);
    this.currentKeyId = keys[0].id;
    this.#currentKey = keys[0].key;
    this.#keys = new Map(keys.map(({ id, key }) => [id, key]));
  }

  /**
   * The vault of the PRISM_ENCRYPTION_KEYS setting.
   *
   * @throws {VaultError} `vault_not_configured` when it is not set.
   * @throws {PrismError} `invalid_config` when it is malformed.
   */
  static fromSetting(encryptionKeys: string | undefined): Vault {
    if (encryptionKeys === undefined || encryptionKeys.trim() === '') {
      throw new VaultError(
        'vault_not_configured',
        'PRISM_ENCRYPTION_KEYS is not set: connection tokens cannot be encrypted or decrypted.',
        { hint: 'Make a key with `prism vault key` and set PRISM_ENCRYPTION_KEYS to it.' },
      );
    }
    return new Vault(encryptionKeys);
  }

  /** Encrypts `plaintext` (text as UTF-8) under the current key, bound to `context`. */
  encrypt(plaintext: Uint8Array | string, context: string): EncryptedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#currentKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(contextBytes(context));
    const data =
      typeof plaintext === 'string'
        ? Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
        : Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const ciphertext = Buffer.concat([iv, cipher.getAuthTag(), data]);
    return { keyId: this.currentKeyId, ciphertext: new Uint8Array(ciphertext) };
  }

  /**
   * The plaintext of `secret`, which must have been encrypted with `context`.
   *
   * @throws {VaultError} `vault_key_missing` when its key is not in PRISM_ENCRYPTION_KEYS;
   *   `vault_decrypt_failed` when it was changed, belongs to another context, or its key id now
   *   names other key bytes.
   */
  decrypt(secret: EncryptedSecret, context: string): Uint8Array {
    const key = this.#keys.get(secret.keyId);
    if (key === undefined) {
      throw new VaultError(
        'vault_key_missing',
        `A secret is encrypted under key ${secret.keyId}, which PRISM_ENCRYPTION_KEYS does not list.`,
        {
          hint: `Add key ${secret.keyId} back to PRISM_ENCRYPTION_KEYS (after the current key) and run \`prism vault rotate\` before removing it again.`,
        },
      );
    }
    const bytes = secret.ciphertext;
    if (bytes.length < IV_BYTES + TAG_BYTES) throw decryptFailed(secret.keyId);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, IV_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      decipher.setAAD(contextBytes(context));
      const data = bytes.subarray(IV_BYTES + TAG_BYTES);
      return new Uint8Array(Buffer.concat([decipher.update(data), decipher.final()]));
    } catch (cause) {
      throw decryptFailed(secret.keyId, cause);
    }
  }

  /** The plaintext of `secret` as UTF-8 text; fails as {@link Vault.decrypt} does. */
  decryptText(secret: EncryptedSecret, context: string): string {
    return Buffer.from(this.decrypt(secret, context)).toString('utf8');
  }
}

function contextBytes(context: string): Buffer {
  if (context === '') {
    throw new PrismError('invalid_argument', 'A vault secret needs a context to be bound to.', {
      hint: 'Pass the record the secret belongs to, e.g. connectionContext(id).',
    });
  }
  return Buffer.from(context, 'utf8');
}

function decryptFailed(keyId: string, cause?: unknown): VaultError {
  return new VaultError(
    'vault_decrypt_failed',
    `A secret under key ${keyId} does not decrypt: it was changed, belongs to another record, or key ${keyId} in PRISM_ENCRYPTION_KEYS is not the key it was encrypted with.`,
    {
      hint: `Check that key ${keyId} in PRISM_ENCRYPTION_KEYS holds the same bytes as when the secret was written; otherwise connect the account again.`,
      ...(cause === undefined ? {} : { cause }),
    },
  );
}
