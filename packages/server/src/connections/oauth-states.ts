import { createHash, randomBytes } from 'node:crypto';
import type { ConnectionProvider } from '@prism/sdk';
import type { SqlClient } from '../store/sql-client.js';
import { OAuthError } from './types.js';
import type { Vault } from './vault.js';
import { oauthStateContext } from './vault-context.js';

/** How long a flow may take from its start to its callback: 10 minutes. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

/** A flow just started: its state and PKCE pair. */
export interface StartedState {
  /** The single-use `state` (32 random bytes, base64url). */
  state: string;
  /** The PKCE code challenge: base64url SHA-256 of the verifier (S256). */
  codeChallenge: string;
  /** When the state expires. */
  expiresAt: Date;
}

/** A state taken at its callback: what the flow was started for. */
export interface ConsumedState {
  tenantId: string;
  actorId: string;
  provider: ConnectionProvider;
  connectionId: string;
  /** The PKCE verifier, decrypted. */
  codeVerifier: string;
  returnUrl: string | null;
}

interface StateRow {
  tenant_id: string;
  actor_id: string;
  provider: ConnectionProvider;
  connection_id: string;
  verifier_key_id: string;
  verifier_ciphertext: Uint8Array;
  return_url: string | null;
  expired: boolean;
}

/**
 * OAuth flow states in the `oauth_states` table: each bound to its tenant, user, provider and
 * pending connection, expiring after {@link OAUTH_STATE_TTL_MS}, and single-use (taking one
 * deletes it in the same statement, so a replayed callback finds nothing). The PKCE verifier is
 * kept encrypted by the vault.
 */
export class OAuthStates {
  readonly #client: SqlClient;
  readonly #vault: Vault;
  readonly #now: () => Date;

  constructor(client: SqlClient, vault: Vault, now: () => Date = () => new Date()) {
    this.#client = client;
    this.#vault = vault;
    this.#now = now;
  }

  /** Starts a flow: a new state and PKCE verifier, stored; expired states are cleared out. */
  async start(flow: {
    tenantId: string;
    actorId: string;
    provider: ConnectionProvider;
    connectionId: string;
    returnUrl?: string | undefined;
  }): Promise<StartedState> {
    const state = randomBytes(32).toString('base64url');
    const codeVerifier = randomBytes(48).toString('base64url');
    const codeChallenge = createHash('sha256').update(codeVerifier).digest('base64url');
    const expiresAt = new Date(this.#now().getTime() + OAUTH_STATE_TTL_MS);
    const verifier = this.#vault.encrypt(codeVerifier, oauthStateContext(state));
    await this.#client.query('DELETE FROM oauth_states WHERE expires_at < $1', [this.#now()]);
    await this.#client.query(
      `INSERT INTO oauth_states (state, tenant_id, actor_id, provider, connection_id,
         verifier_key_id, verifier_ciphertext, return_url, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        state,
        flow.tenantId,
        flow.actorId,
        flow.provider,
        flow.connectionId,
        verifier.keyId,
        verifier.ciphertext,
        flow.returnUrl ?? null,
        expiresAt,
      ],
    );
    return { state, codeChallenge, expiresAt };
  }

  /**
   * Takes the state of a callback to `provider`: once only, before it expires.
   *
   * @throws {OAuthError} `oauth_state_invalid` when it is missing, unknown, already used,
   *   expired, or started for another provider.
   */
  async consume(state: string | undefined, provider: ConnectionProvider): Promise<ConsumedState> {
    if (state === undefined || state === '') {
      throw invalidState('The callback has no state parameter.');
    }
    const { rows } = await this.#client.query<StateRow>(
      `DELETE FROM oauth_states WHERE state = $1
       RETURNING tenant_id, actor_id, provider, connection_id, verifier_key_id,
         verifier_ciphertext, return_url, expires_at < $2 AS expired`,
      [state, this.#now()],
    );
    const row = rows[0];
    if (row === undefined) {
      throw invalidState('The state is unknown or was used already.');
    }
    if (row.expired) throw invalidState('The state expired: the flow took over 10 minutes.');
    if (row.provider !== provider) {
      throw invalidState(`The state was issued for ${row.provider}, not ${provider}.`);
    }
    const codeVerifier = this.#vault.decryptText(
      { keyId: row.verifier_key_id, ciphertext: row.verifier_ciphertext },
      oauthStateContext(state),
    );
    return {
      tenantId: row.tenant_id,
      actorId: row.actor_id,
      provider: row.provider,
      connectionId: row.connection_id,
      codeVerifier,
      returnUrl: row.return_url,
    };
  }
}

function invalidState(reason: string): OAuthError {
  return new OAuthError('oauth_state_invalid', `This connection link is not valid. ${reason}`, {
    hint: 'Start connecting again from Prism; each link works once, within 10 minutes.',
  });
}
