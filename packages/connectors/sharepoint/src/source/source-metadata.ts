import type { Metadata } from '@prism/sdk';

/** The longest value Prism keeps in a metadata entry. */
const METADATA_VALUE_MAX = 500;

/** A SharePoint or OneDrive file, as far as a document's source metadata names it. */
export interface SourceFile {
  /** The drive holding the file. */
  driveId: string;
  /** The file's item id. */
  itemId: string;
  /** Where a person opens it in the browser, when known. */
  webUrl: string | undefined;
}

/**
 * The metadata that says where a document came from: `sourceKind` `sharepoint`, `sourceRef`
 * `{driveId}/{itemId}`, and `sourceUrl` the file's address when it fits a metadata value.
 */
export function sourceMetadata(file: SourceFile): Metadata {
  const metadata: Metadata = {
    sourceKind: 'sharepoint',
    sourceRef: `${file.driveId}/${file.itemId}`,
  };
  if (file.webUrl && file.webUrl.length <= METADATA_VALUE_MAX) metadata.sourceUrl = file.webUrl;
  return metadata;
}
