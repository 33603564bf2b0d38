import type { WatchScope } from '../watch/scope.js';

/** The Graph subscription a watch holds on its drive: what every notification is checked against. */
export interface WatchSubscription {
  /** Graph's subscription id, which notifications carry as `subscriptionId`. */
  subscriptionId: string;
  /** The secret Graph echoes in every notification of the subscription. */
  clientState: string;
  /** When Graph deletes the subscription unless it is renewed (ISO 8601, UTC). */
  expirationDateTime: string;
}

/** The persisted state of one SharePoint watch: which files it reviews, and where it is up to. */
export interface SharePointWatch extends WatchSubscription {
  /** Prism's id of the watch. */
  id: string;
  /** The Prism tenant the watch belongs to. */
  tenantId: string;
  /** The connection whose tokens read and write the drive. */
  connectionId: string;
  /** The document library (drive) watched. */
  driveId: string;
  /**
   * The watched folder, from the drive's root (`Contracts/2024`, or as Graph writes a path,
   * `/drives/{driveId}/root:/Contracts/2024`); its subfolders are watched too. Unset: the whole
   * drive.
   */
  folderPath?: string;
  /** The file extensions reviewed, e.g. `['docx', 'pdf']`. Empty: every format Prism reads. */
  fileTypes: readonly string[];
  /**
   * The folder, from the drive's root, that reviewed copies go into (created when missing).
   * Unset: each copy goes next to its original.
   */
  resultsFolder?: string;
  /** The framework reviews use (an id, optionally `@version`). Unset: Prism's default. */
  framework?: string;
  /** The model reviews use. Unset: Prism's default. */
  model?: string;
  /**
   * Where the next run reads changes from: the delta link of the last complete run, or the next
   * link of a run that stopped between pages.
   */
  deltaLink: string;
}

/** The files of the drive a watch reviews. */
export function watchScope(watch: SharePointWatch): WatchScope {
  return watch.folderPath === undefined
    ? { fileTypes: watch.fileTypes }
    : { folderPath: watch.folderPath, fileTypes: watch.fileTypes };
}
