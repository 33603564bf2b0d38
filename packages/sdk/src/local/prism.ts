import type { PrismClient, ReviewFileOptions, UploadSource } from '../api/types.js';
import type { ReviewReport } from '../engine/report.js';
import { reviewFileWith } from '../review-file.js';
import type { Actor } from '../schema/index.js';
import { LocalContext } from './context.js';
import { PrismService, type PrismServiceOptions } from './service.js';
import type { Store } from './store.js';
import { TenantPrism } from './tenant-prism.js';

/** How `Prism.local()` runs: a {@link PrismService}'s options, and who the caller is. */
export interface LocalPrismOptions extends PrismServiceOptions {
  /** The tenant records belong to. Default `local`. */
  tenantId?: string;
  /** Who decisions and the audit log name. Default the user `local`. */
  actor?: Actor;
}

/**
 * The Prism API in-process: every operation of `PrismApi` on the review engine and a
 * {@link Store} (in memory by default), with the same results and errors as a server (a
 * missing id is a `NotFoundError`, a bad field an `UnprocessableEntityError`...). What needs a
 * server — OAuth connections, and watches and documents that depend on them — throws
 * `NotSupportedLocallyError`. Create it with `Prism.local()`.
 */
export class LocalPrism extends TenantPrism implements PrismClient {
  readonly #service: PrismService;

  /** @throws {PrismError} `invalid_argument` for a bad option; `unknown_framework` for an unknown id. */
  constructor(options: LocalPrismOptions = {}) {
    const {
      tenantId = 'local',
      actor = { type: 'user', id: 'local', name: null },
      ...rest
    } = options;
    const service = new PrismService(rest);
    super(new LocalContext(service.core, tenantId, actor));
    this.#service = service;
  }

  reviewFile(file: UploadSource, options: ReviewFileOptions = {}): Promise<ReviewReport> {
    return reviewFileWith(this, file, options);
  }

  /**
   * Waits for running reviews and webhook deliveries to finish, then closes the store when it
   * is the default one (a store you pass in stays open).
   */
  close(): Promise<void> {
    return this.#service.close();
  }
}
