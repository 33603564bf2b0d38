/**
 * The delegated Microsoft Graph permissions a Microsoft connection can ask for, by the feature
 * that needs them. Each is the least privileged permission Microsoft documents for the Graph
 * calls of its feature. Whether a user may consent to them alone or an administrator must is
 * the tenant's policy (many tenants allow only administrators).
 *
 * MSAL always adds the OpenID Connect scopes to a user sign-in, so they are not listed here:
 * `openid` (an ID token at all), `profile` (its `tid`, `oid`, `preferred_username` and `name`
 * claims, which name the connection's account) and `offline_access` (a refresh token, without
 * which Prism could not act after the first hour).
 */
export const MICROSOFT_SCOPES = {
  /**
   * `User.Read`: signs the user in to Microsoft Graph and reads their own profile. It is the
   * baseline every Graph app holds, and the consent screen lists it first.
   */
  signIn: ['User.Read'],
  /**
   * `Files.ReadWrite.All`: reads the documents to review and writes the reviewed copies back,
   * in every SharePoint document library, OneDrive and Teams channel folder the user can reach,
   * including items shared with them. `Files.ReadWrite` would stop at the user's own OneDrive.
   */
  files: ['Files.ReadWrite.All'],
  /**
   * `Sites.ReadWrite.All`: writes review results into a document library's columns (the
   * `fields` of a drive item's list item). Graph documents no `Files.*` permission for updating
   * list item fields, so this is the least privileged one that can.
   */
  listFields: ['Sites.ReadWrite.All'],
  /**
   * `Sites.Manage.All`: creates the review columns on a document library. Not asked for by
   * default: a site owner can create the columns once, and Prism then only needs `listFields`.
   */
  listColumns: ['Sites.Manage.All'],
  /**
   * `ChannelMessage.Send` and `ChatMessage.Send`: posts review summaries to a Teams channel or
   * chat as the user. Narrower than `Chat.ReadWrite`, which would also read every chat. Not
   * asked for by default.
   */
  teamsMessages: ['ChannelMessage.Send', 'ChatMessage.Send'],
} as const satisfies Record<string, readonly string[]>;

/**
 * The Graph permissions a Microsoft connection asks for unless its settings say otherwise:
 * sign-in, files (read and write back reviewed copies) and list item fields (review results
 * in library columns).
 */
export const MICROSOFT_DEFAULT_SCOPES: readonly string[] = [
  ...MICROSOFT_SCOPES.signIn,
  ...MICROSOFT_SCOPES.files,
  ...MICROSOFT_SCOPES.listFields,
];

/**
 * The scope of an app-only (client credentials) token for Microsoft Graph: `.default` grants
 * whatever application permissions an administrator consented to for the app. For unattended
 * SharePoint reviews, the least privileged choice is `Sites.Selected`: with it alone the app
 * reaches no site until an administrator grants it a role on each chosen site
 * (`POST /sites/{site-id}/permissions`), unlike `Sites.ReadWrite.All`, which opens every site
 * of the tenant.
 */
export const MICROSOFT_GRAPH_APP_SCOPE = 'https://graph.microsoft.com/.default';
