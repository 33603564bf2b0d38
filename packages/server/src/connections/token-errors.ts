import { type Connection, PrismError } from '@prism/sdk';

/** What to do about a connection in each status other than `active`. */
function hintFor(connection: Pick<Connection, 'id' | 'status'>): string | undefined {
  switch (connection.status) {
    case 'active':
      return undefined;
    case 'pending':
      return 'Finish connecting the account: open the authorization URL returned when the connection was created.';
    case 'needs_reauth':
      return `The provider refused the stored tokens: ${connectAgain(connection.id)}.`;
    case 'revoked':
      return `The connection was revoked: ${connectAgain(connection.id)}.`;
  }
}

/** How to connect a connection's account again, keeping the connection and its watches. */
function connectAgain(connectionId: string): string {
  return `connect the account again (POST /v2/connections/${connectionId}/reauthorize, or 'prism connect <provider> --connection ${connectionId}')`;
}

/** A connection whose tokens cannot be used because it is not `active`. */
export class ConnectionNotActiveError extends PrismError {
  declare readonly code: 'connection_not_active';
  /** The connection's status. */
  readonly status: Connection['status'];

  constructor(connection: Pick<Connection, 'id' | 'status'>) {
    super(
      'connection_not_active',
      `Connection ${connection.id} is ${connection.status}, not active.`,
      { hint: hintFor(connection) },
    );
    this.status = connection.status;
  }
}

/** There is no such connection in the tenant. */
export function connectionNotFound(connectionId: string): PrismError {
  return new PrismError('not_found', `There is no connection ${connectionId}.`, {
    hint: "Check the id; it must exist in the caller's tenant.",
  });
}

/** An active connection whose tokens are not in the vault (deleted while in use). */
export function connectionTokensMissing(connectionId: string): PrismError {
  return new PrismError(
    'connection_tokens_missing',
    `Connection ${connectionId} has no stored tokens.`,
    { hint: `Connect the account again (POST /v2/connections/${connectionId}/reauthorize).` },
  );
}
