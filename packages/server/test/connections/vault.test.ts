import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Vault } from '../../src/connections/vault.js';
import { connectionContext, oauthStateContext } from '../../src/connections/vault-context.js';
import { generateEncryptionKey } from '../../src/connections/vault-keys.js';

const keyA = generateEncryptionKey('a');
const keyB = generateEncryptionKey('b');
const material = (line: string) => line.slice(line.indexOf(':') + 1);

describe('Vault', () => {
  it('decrypts what it encrypted, text or bytes, under its first key', () => {
    const vault = new Vault(`${keyA},${keyB}`);
    expect(vault.currentKeyId).toBe('a');
    const secret = vault.encrypt('refresh-token-ünïcode', connectionContext('con_1'));
    expect(secret.keyId).toBe('a');
    expect(vault.decryptText(secret, connectionContext('con_1'))).toBe('refresh-token-ünïcode');

    const bytes = randomBytes(100);
    const encrypted = vault.encrypt(bytes, oauthStateContext('st_1'));
    expect(Buffer.from(vault.decrypt(encrypted, oauthStateContext('st_1')))).toEqual(bytes);
  });

  it('lays the ciphertext out as a fresh 12-byte IV, a 16-byte tag, then the data', () => {
    const vault = new Vault(keyA);
    const first = vault.encrypt('same', 'connection:c');
    const second = vault.encrypt('same', 'connection:c');
    expect(first.ciphertext).toHaveLength(12 + 16 + 4);
    expect(Buffer.from(first.ciphertext.subarray(0, 12))).not.toEqual(
      Buffer.from(second.ciphertext.subarray(0, 12)),
    );
    expect(Buffer.from(first.ciphertext)).not.toEqual(Buffer.from(second.ciphertext));
  });

  it('decrypts with any listed key, such as an older one listed after the current', () => {
    const secret = new Vault(keyA).encrypt('token', connectionContext('con_1'));
    const rotated = new Vault(`${keyB},${keyA}`);
    expect(rotated.currentKeyId).toBe('b');
    expect(rotated.decryptText(secret, connectionContext('con_1'))).toBe('token');
  });

  it('refuses a ciphertext moved to another record (its context is authenticated)', () => {
    const vault = new Vault(keyA);
    const secret = vault.encrypt('token', connectionContext('con_1'));
    expect(() => vault.decrypt(secret, connectionContext('con_2'))).toThrow(
      expect.objectContaining({ code: 'vault_decrypt_failed' }),
    );
    expect(() => vault.decrypt(secret, oauthStateContext('con_1'))).toThrow(
      expect.objectContaining({ code: 'vault_decrypt_failed' }),
    );
  });

  it.each([
    ['the IV', 0],
    ['the tag', 12],
    ['the data', 28],
  ])('detects a change to %s', (_, offset) => {
    const vault = new Vault(keyA);
    const secret = vault.encrypt('token', 'connection:c');
    const tampered = new Uint8Array(secret.ciphertext);
    tampered[offset] = (tampered[offset] ?? 0) ^ 1;
    expect(() => vault.decrypt({ ...secret, ciphertext: tampered }, 'connection:c')).toThrow(
      expect.objectContaining({ code: 'vault_decrypt_failed' }),
    );
  });

  it('refuses a truncated ciphertext, and one under other bytes with the same key id', () => {
    const vault = new Vault(keyA);
    const secret = vault.encrypt('token', 'connection:c');
    const truncated = { ...secret, ciphertext: secret.ciphertext.subarray(0, 20) };
    expect(() => vault.decrypt(truncated, 'connection:c')).toThrow(
      expect.objectContaining({ code: 'vault_decrypt_failed' }),
    );
    const impostor = new Vault(generateEncryptionKey('a'));
    expect(() => impostor.decrypt(secret, 'connection:c')).toThrow(
      expect.objectContaining({
        code: 'vault_decrypt_failed',
        message: expect.stringContaining('key a'),
      }),
    );
  });

  it('names an unknown key id and says to add the old key back', () => {
    const secret = new Vault(keyA).encrypt('token', 'connection:c');
    let thrown: unknown;
    try {
      new Vault(keyB).decrypt(secret, 'connection:c');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      code: 'vault_key_missing',
      message: expect.stringContaining('key a'),
      hint: expect.stringMatching(/Add key a back to PRISM_ENCRYPTION_KEYS/),
    });
  });

  it('refuses an empty context', () => {
    expect(() => new Vault(keyA).encrypt('token', '')).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
  });

  it('needs PRISM_ENCRYPTION_KEYS to be set', () => {
    for (const value of [undefined, '', '  ']) {
      expect(() => Vault.fromSetting(value)).toThrow(
        expect.objectContaining({
          code: 'vault_not_configured',
          message: expect.stringContaining('PRISM_ENCRYPTION_KEYS is not set'),
          hint: expect.stringContaining('prism vault key'),
        }),
      );
    }
    expect(Vault.fromSetting(keyA).currentKeyId).toBe('a');
  });
});

describe('PRISM_ENCRYPTION_KEYS parsing', () => {
  const short = randomBytes(16).toString('base64');
  const long = randomBytes(33).toString('base64');
  const unpadded = material(keyA).replace('=', '');

  it.each([
    ['an empty value', '  ,  ', /is empty/],
    ['a key without an id', material(keyA), /key 1 is not <key-id>:<base64>/],
    ['a bad id', `${keyB},bad id!:${material(keyA)}`, /key 2 needs an id/],
    ['a 16-byte key', `short:${short}`, /key short is not exactly 32 bytes/],
    ['a 33-byte key', `long:${long}`, /key long is not exactly 32 bytes/],
    ['unpadded base64', `a:${unpadded}`, /key a is not exactly 32 bytes/],
    ['an empty entry', `${keyA},`, /key 2 is not <key-id>:<base64>/],
    ['a duplicate id', `${keyA},a:${material(keyB)}`, /key id a is listed twice/],
  ])('refuses %s, naming the setting and never the key bytes', (_, value, problem) => {
    let thrown: unknown;
    try {
      new Vault(value);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      code: 'invalid_config',
      message: expect.stringMatching(/^Invalid setting PRISM_ENCRYPTION_KEYS: /),
      hint: expect.stringContaining('prism vault key'),
    });
    expect((thrown as Error).message).toMatch(problem);
    const shown = `${(thrown as Error).message} ${(thrown as { hint: string }).hint}`;
    for (const bytes of [material(keyA), material(keyB), short, long, unpadded]) {
      expect(shown).not.toContain(bytes);
      expect(shown).not.toContain(bytes.slice(0, 12));
    }
  });

  it('accepts spaces around keys, ids and colons', () => {
    const vault = new Vault(` b : ${material(keyB)} ,\ta:${material(keyA)} `);
    expect(vault.currentKeyId).toBe('b');
    const secret = new Vault(keyA).encrypt('token', 'connection:c');
    expect(vault.decryptText(secret, 'connection:c')).toBe('token');
  });
});

describe('generateEncryptionKey', () => {
  it('makes a fresh 32-byte key line the vault and the setting accept', () => {
    const line = generateEncryptionKey();
    expect(line).toMatch(/^key-\d{8}-[0-9a-f]{4}:[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(material(line), 'base64')).toHaveLength(32);
    expect(material(generateEncryptionKey())).not.toBe(material(line));
    expect(new Vault(line).currentKeyId).toBe(line.slice(0, line.indexOf(':')));
  });

  it('takes an id of its own, and refuses one the setting could not hold', () => {
    expect(generateEncryptionKey('2025-06')).toMatch(/^2025-06:/);
    expect(() => generateEncryptionKey('has:colon')).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
  });
});
