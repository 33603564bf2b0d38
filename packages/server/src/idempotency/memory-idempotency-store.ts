import type {
  ClaimOutcome,
  IdempotencyClaim,
  IdempotencyRecord,
  IdempotencyStore,
  StoredResponse,
} from './idempotency-store.js';

/**
 * An {@link IdempotencyStore} in the process's memory: for a server whose records are in memory
 * too, so both go when it stops. Claims are atomic because each is decided without awaiting.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #records = new Map<string, IdempotencyRecord>();

  async claim(claim: IdempotencyClaim): Promise<ClaimOutcome> {
    const scope = scopeOf(claim);
    const held = this.#records.get(scope);
    const abandoned =
      held?.response === undefined && held !== undefined && held.createdAt < claim.staleBefore;
    if (held && held.expiresAt > claim.createdAt && !abandoned)
      return { claimed: false, record: held };
    this.#records.set(scope, {
      fingerprint: claim.fingerprint,
      createdAt: claim.createdAt,
      expiresAt: claim.expiresAt,
      response: undefined,
    });
    return { claimed: true };
  }

  async complete(claim: IdempotencyClaim, response: StoredResponse): Promise<void> {
    const held = this.#heldBy(claim);
    if (held) {
      held.response = {
        statusCode: response.statusCode,
        headers: { ...response.headers },
        body: new Uint8Array(response.body),
      };
    }
  }

  async release(claim: IdempotencyClaim): Promise<void> {
    if (this.#heldBy(claim)) this.#records.delete(scopeOf(claim));
  }

  async purgeExpired(now: Date): Promise<number> {
    let purged = 0;
    for (const [scope, record] of this.#records) {
      if (record.expiresAt <= now) {
        this.#records.delete(scope);
        purged += 1;
      }
    }
    return purged;
  }

  /** The in-progress record of `claim` itself, not of a later claim on the same key. */
  #heldBy(claim: IdempotencyClaim): IdempotencyRecord | undefined {
    const held = this.#records.get(scopeOf(claim));
    return held?.response === undefined && held?.createdAt.getTime() === claim.createdAt.getTime()
      ? held
      : undefined;
  }
}

/** The map key of a tenant's key; JSON keeps any two (tenant, key) pairs apart. */
function scopeOf(claim: IdempotencyClaim): string {
  return JSON.stringify([claim.tenantId, claim.key]);
}
