import { ModelError, type ModelErrorCode } from '../model/model-error.js';

/** What a failure is mapped with: the model asked, and the caller's signal. */
export interface FailureContext {
  /** The model or inference profile id the request went to. */
  modelId: string;
  /** The caller's signal: once it has fired, its reason is what the caller gets. */
  signal?: AbortSignal | undefined;
}

/**
 * The wording Bedrock uses in a `ValidationException` when the prompt does not fit the model's
 * context window (it differs by model family and by API), in lower case.
 */
const INPUT_TOO_LONG = [
  'input is too long for requested model',
  'input length and `max_tokens` exceed context limit',
  'too many total text bytes',
  'prompt is too long',
];

/** Socket and HTTP/2 error codes meaning Bedrock could not be reached or dropped the line. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const HINTS = {
  throttled:
    'Wait and retry, lower the review concurrency, or raise the Bedrock quota for this model in Service Quotas.',
  unavailable:
    'Retry in a moment; if it persists, check the network path to bedrock-runtime in this region and the AWS Health Dashboard.',
  timeout: 'Retry, or send a shorter input or a lower maxOutputTokens.',
  tooLong:
    'Split the input into smaller parts and ask again, or use a model with a larger context window.',
  invalid:
    "Check the model id and the request settings (e.g. maxOutputTokens within the model's limit).",
  profile:
    "Use an inference profile id for this model (e.g. 'us.<model id>' or 'global.<model id>') instead of the bare model id.",
  access:
    'Model access not granted in this account/region: request access in the Bedrock console (Model access) or use an inference profile id.',
  credentials:
    'Set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and AWS_REGION, or pass credentials and region to createBedrockClient.',
  region: 'Set AWS_REGION (or a region in the AWS profile), or pass region to createBedrockClient.',
  notFound:
    "Check the model id and region: the model must be offered in this region (or use an inference profile id such as 'us.<model id>').",
} as const;

/** The parts of an SDK or network error the mapping looks at. */
interface ErrorFacts {
  name: string;
  message: string;
  status: number | undefined;
  headers: Record<string, string>;
  code: string | undefined;
}

/**
 * What to throw for a failed Bedrock call: the caller's abort reason when its signal fired, a
 * {@link ModelError} for every failure of Bedrock, its credentials or the network, and any other
 * error (a programming error) unchanged.
 */
export function bedrockFailure(error: unknown, context: FailureContext): unknown {
  if (context.signal?.aborted) return context.signal.reason;
  if (error instanceof ModelError) return error;
  const facts = factsOf(error);
  const code = codeFor(facts);
  if (code === undefined) return error;
  return new ModelError(code, `Bedrock (${context.modelId}): ${facts.message}`, {
    cause: error,
    hint: hintFor(code, facts),
    retryAfterMs: code === 'model_throttled' ? retryAfterMs(facts.headers) : undefined,
  });
}

/** The stable code for a failure, or undefined when it is not Bedrock's, nor the network's. */
function codeFor(facts: ErrorFacts): ModelErrorCode | undefined {
  return codeForName(facts) ?? codeForStatus(facts.status) ?? codeForLocal(facts);
}

function codeForName({ name, message }: ErrorFacts): ModelErrorCode | undefined {
  switch (name) {
    case 'ThrottlingException':
    case 'ServiceQuotaExceededException':
      return 'model_throttled';
    case 'ServiceUnavailableException':
    case 'InternalServerException':
    case 'ModelNotReadyException':
    case 'ModelErrorException':
    case 'ModelStreamErrorException':
      return 'model_unavailable';
    case 'ModelTimeoutException':
    case 'TimeoutError':
      return 'model_timeout';
    case 'ValidationException':
      return validationCode(message.toLowerCase());
    case 'AccessDeniedException':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
    case 'CredentialsProviderError':
      return 'model_access_denied';
    case 'ResourceNotFoundException':
      return 'model_not_found';
    default:
      return undefined;
  }
}

function validationCode(message: string): ModelErrorCode {
  if (INPUT_TOO_LONG.some((wording) => message.includes(wording))) return 'model_input_too_long';
  if (message.includes('model identifier is invalid')) return 'model_not_found';
  return 'model_request_invalid';
}

function codeForStatus(status: number | undefined): ModelErrorCode | undefined {
  if (status === undefined) return undefined;
  if (status === 429) return 'model_throttled';
  if (status === 401 || status === 403) return 'model_access_denied';
  if (status === 404) return 'model_not_found';
  if (status === 408) return 'model_timeout';
  if (status === 413) return 'model_input_too_long';
  if (status >= 500) return 'model_unavailable';
  if (status >= 400) return 'model_request_invalid';
  return undefined;
}

/** Failures before any answer: no region configured, or the network. */
function codeForLocal({ message, code }: ErrorFacts): ModelErrorCode | undefined {
  if (message === 'Region is missing') return 'model_request_invalid';
  if (code !== undefined && NETWORK_CODES.has(code)) return 'model_unavailable';
  return undefined;
}

function hintFor(code: ModelErrorCode, facts: ErrorFacts): string {
  switch (code) {
    case 'model_throttled':
      return HINTS.throttled;
    case 'model_unavailable':
      return HINTS.unavailable;
    case 'model_timeout':
      return HINTS.timeout;
    case 'model_input_too_long':
      return HINTS.tooLong;
    case 'model_not_found':
      return HINTS.notFound;
    case 'model_access_denied':
      return isCredentialsFailure(facts) ? HINTS.credentials : HINTS.access;
    default:
      if (facts.message === 'Region is missing') return HINTS.region;
      return facts.message.toLowerCase().includes('inference profile')
        ? HINTS.profile
        : HINTS.invalid;
  }
}

/** Whether access failed for want of valid credentials rather than of access to the model. */
function isCredentialsFailure({ name, status }: ErrorFacts): boolean {
  return (
    name === 'CredentialsProviderError' ||
    name === 'UnrecognizedClientException' ||
    name === 'InvalidSignatureException' ||
    name === 'ExpiredTokenException' ||
    status === 401
  );
}

/** How long a `Retry-After` header (seconds, or an HTTP date) asks to wait, in milliseconds. */
function retryAfterMs(headers: Record<string, string>): number | undefined {
  const value = headers['retry-after']?.trim();
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function factsOf(error: unknown): ErrorFacts {
  const record = isRecord(error) ? error : {};
  const name = stringOf(record.name) ?? 'Error';
  const metadata = isRecord(record.$metadata) ? record.$metadata : {};
  const response = isRecord(record.$response) ? record.$response : {};
  const cause = isRecord(record.cause) ? record.cause : {};
  return {
    // Errors decoded from an event stream's `$unknown` exception keep the frame's lower-case
    // `:exception-type` (`throttlingException`) as their name.
    name: name.charAt(0).toUpperCase() + name.slice(1),
    message: stringOf(record.message) || name,
    status: typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined,
    headers: lowerCaseHeaders(response.headers),
    code: stringOf(record.code) ?? stringOf(cause.code),
  };
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
  if (!isRecord(headers)) return {};
  const lower: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (typeof value === 'string') lower[key.toLowerCase()] = value;
  }
  return lower;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
