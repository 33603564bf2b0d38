/** The answer kept for an idempotency key, replayed byte for byte when the request is retried. */
export interface StoredResponse {
  /** The HTTP status of the first answer. */
  statusCode: number;
  /** The headers worth replaying (lowercase names): content type, location, the request id. */
  headers: Readonly<Record<string, string>>;
  /** The body as sent. */
  body: Uint8Array;
}

/**
 * One request's hold on an idempotency key: the tenant and key it is scoped to, what the request
 * was (its fingerprint), when it was claimed and when the key expires. `createdAt` also tells
 * this claim from a later one on the same key, once this one has expired.
 */
export interface IdempotencyClaim {
  /** The tenant of the authenticated caller; keys of different tenants never meet. */
  tenantId: string;
  /** The `Idempotency-Key` header as sent. */
  key: string;
  /** A hash of the method, URL and body (see `requestFingerprint`). */
  fingerprint: string;
  /** When the request claimed the key; records that expire at or before it count as absent. */
  createdAt: Date;
  /** When the key may be used again for anything. */
  expiresAt: Date;
  /**
   * A request still in progress that claimed the key before this is taken to have died with
   * its server (its answer never came), and loses the key to this claim.
   */
  staleBefore: Date;
}

/** What holds a key that a claim did not get: the request in progress, or its answer. */
export interface IdempotencyRecord {
  /** The fingerprint of the request that holds the key. */
  fingerprint: string;
  /** When that request claimed the key. */
  createdAt: Date;
  /** When the key expires. */
  expiresAt: Date;
  /** Its answer; `undefined` while that request is still running. */
  response: StoredResponse | undefined;
}

/** Whether a claim got its key, or else what holds it. */
export type ClaimOutcome = { claimed: true } | { claimed: false; record: IdempotencyRecord };

/**
 * Where the idempotency plugin keeps its keys. A claim is atomic: of any number of requests
 * claiming one unexpired key at once, exactly one gets it; a record that expired is replaced as
 * if it were absent.
 */
export interface IdempotencyStore {
  /** Takes the key for `claim` (marked "in progress"), unless an unexpired record holds it. */
  claim(claim: IdempotencyClaim): Promise<ClaimOutcome>;
  /** Keeps the claimed request's answer, for retries until the key expires. */
  complete(claim: IdempotencyClaim, response: StoredResponse): Promise<void>;
  /** Gives the key up unanswered, so a retry runs the request again. */
  release(claim: IdempotencyClaim): Promise<void>;
  /** Deletes the records expired at `now`, and answers how many there were. */
  purgeExpired(now: Date): Promise<number>;
}
