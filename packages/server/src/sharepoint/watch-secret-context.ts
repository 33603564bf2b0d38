/**
 * The context a SharePoint watch's subscription secret (`clientState`) is encrypted under: the
 * ciphertext decrypts only as the secret of this watch.
 */
export function sharePointWatchContext(watchId: string): string {
  return `sharepoint-watch:${watchId}`;
}
