import { ErrorCode } from '@slack/web-api';
import { OAuthError } from '../types.js';

/** What Prism was asking of Slack when it failed. */
export type SlackOperation = 'exchange' | 'refresh' | 'revoke';

/** Slack's error codes are short snake_case words; anything else is not quoted back. */
const SLACK_ERROR_CODE = /^[a-z][a-z0-9_]{0,63}$/;

/** Errors with which Slack says it failed on its side, not that it refused the request. */
const SLACK_OUTAGE_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
]);

/** Errors with which `oauth.v2.access` refuses a refresh token: only a new connection helps. */
const REFRESH_REFUSALS = new Set([
  'invalid_refresh_token',
  'invalid_grant',
  'token_revoked',
  'account_inactive',
  'invalid_auth',
]);

/** Errors with which `auth.revoke` says the token no longer works: it is revoked already. */
export const SLACK_TOKEN_GONE_ERRORS: ReadonlySet<string> = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'account_inactive',
]);

const ACTIONS: Record<SlackOperation, string> = {
  exchange: 'complete the Slack connection',
  refresh: 'refresh the Slack connection',
  revoke: 'revoke the Slack connection',
};

/**
 * Slack's error code in a failure of `@slack/web-api` (a `{ ok: false, error }` answer, also
 * when it came with an HTTP error status), or undefined when there is none.
 */
export function slackErrorCode(error: unknown): string | undefined {
  if (!isCoded(error)) return undefined;
  if (error.code === ErrorCode.PlatformError) {
    return safeCode(readProperty(readProperty(error, 'data'), 'error'));
  }
  if (error.code === ErrorCode.HTTPError) {
    const body = readProperty(error, 'body');
    return typeof body === 'string' ? safeCode(readProperty(parseJson(body), 'error')) : undefined;
  }
  return undefined;
}

/**
 * Turns whatever a Slack call threw into an {@link OAuthError} whose message names Slack's
 * error code, never a token, code or secret: `provider_unavailable` when Slack failed or could
 * not be reached (5xx, rate limit, timeout, network), `invalid_grant` when it refused a refresh
 * token, `provider_error` when it refused anything else.
 */
export function slackFailure(error: unknown, operation: SlackOperation): OAuthError {
  if (error instanceof OAuthError) return error;
  const action = ACTIONS[operation];
  if (isCoded(error) && error.code === ErrorCode.RateLimitedError) {
    const retryAfter = readProperty(error, 'retryAfter');
    const seconds = typeof retryAfter === 'number' ? retryAfter : undefined;
    return new OAuthError(
      'provider_unavailable',
      `Slack is rate limiting Prism and could not ${action}${seconds === undefined ? '' : ` (retry after ${seconds} s)`}.`,
      {
        hint:
          seconds === undefined
            ? 'Try again in a minute.'
            : `Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
      },
    );
  }
  const slackCode = slackErrorCode(error);
  if (slackCode !== undefined && !SLACK_OUTAGE_ERRORS.has(slackCode)) {
    return refusal(slackCode, operation);
  }
  const status = httpStatus(error);
  if (slackCode === undefined && status !== undefined && status < 500) {
    return new OAuthError('provider_error', `Slack could not ${action} (HTTP ${status}).`, {
      hint: "Check the Slack app's OAuth settings, then connect the Slack workspace again.",
    });
  }
  return new OAuthError(
    'provider_unavailable',
    `Slack could not ${action} (${outageDetail(error, slackCode, status)}).`,
    {
      hint: 'Slack or the network to it is failing; try again in a few minutes.',
    },
  );
}

/** What went wrong when Slack failed, in words that hold no secret. */
function outageDetail(
  error: unknown,
  slackCode: string | undefined,
  status: number | undefined,
): string {
  if (slackCode !== undefined) return slackCode;
  if (status !== undefined) return `HTTP ${status}`;
  if (isCoded(error) && error.code === ErrorCode.PlatformError) return 'unexpected answer';
  if (readProperty(readProperty(error, 'original'), 'name') === 'TimeoutError') return 'timed out';
  return 'no answer';
}

/** Slack refused the request with `slackCode`. */
function refusal(slackCode: string, operation: SlackOperation): OAuthError {
  if (operation === 'refresh' && REFRESH_REFUSALS.has(slackCode)) {
    return new OAuthError('invalid_grant', `Slack refused the refresh token (${slackCode}).`, {
      hint: 'Connect the Slack workspace again.',
    });
  }
  const what = {
    exchange: 'Slack refused the authorization code',
    refresh: 'Slack refused to refresh the token',
    revoke: 'Slack refused to revoke the token',
  }[operation];
  return new OAuthError('provider_error', `${what} (${slackCode}).`, {
    hint: refusalHint(slackCode),
  });
}

function refusalHint(slackCode: string): string {
  switch (slackCode) {
    case 'invalid_code':
      return 'The authorization expired or was used already: connect the Slack workspace again.';
    case 'bad_redirect_uri':
    case 'oauth_authorization_url_mismatch':
      return "Add <PRISM_PUBLIC_URL>/oauth/slack/callback to the Slack app's redirect URLs, exactly.";
    case 'invalid_client_id':
    case 'bad_client_secret':
      return "Check SLACK_CLIENT_ID and SLACK_CLIENT_SECRET against the Slack app's Basic Information.";
    default:
      return "Connect the Slack workspace again; if it keeps failing, check the Slack app's OAuth settings.";
  }
}

function isCoded(error: unknown): error is { code: unknown } {
  return typeof error === 'object' && error !== null && 'code' in error;
}

function httpStatus(error: unknown): number | undefined {
  if (!isCoded(error) || error.code !== ErrorCode.HTTPError) return undefined;
  const status = readProperty(error, 'statusCode');
  return typeof status === 'number' ? status : undefined;
}

function safeCode(value: unknown): string | undefined {
  return typeof value === 'string' && SLACK_ERROR_CODE.test(value) ? value : undefined;
}

function readProperty(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
