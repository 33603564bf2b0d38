import type { ProviderUsage } from '../../types.js';

/**
 * A part of a system prompt. `cache: true` marks the end of a stable prefix (the framework, the
 * instructions) that a model service may cache between calls (Bedrock's `cachePoint`); services
 * without prompt caching ignore it.
 */
export interface SystemPart {
  /** The text. */
  text: string;
  /** Whether a cache point follows this part. */
  cache: boolean;
}

/** A call a model made to a tool, with its input as the model wrote it (not yet validated). */
export interface ModelToolCall {
  /** The service's id of the call, quoted back in a {@link ModelToolResult}. */
  id: string;
  /** The tool's name. */
  name: string;
  /** The tool input, parsed from the model's JSON; validating it is the caller's job. */
  input: unknown;
}

/** The answer to a tool call: here always a refusal of its input, for one repair round. */
export interface ModelToolResult {
  /** The id of the call it answers. */
  toolCallId: string;
  /** What was wrong with the input, in words the model can act on. */
  error: string;
}

/** One turn of a conversation with a model. */
export type ModelMessage =
  | { role: 'user'; text: string }
  | { role: 'assistant'; text: string }
  | { role: 'assistant'; toolCall: ModelToolCall }
  | { role: 'user'; toolResult: ModelToolResult };

/** A tool the model is made to call; its input schema is the shape of the answer wanted. */
export interface ModelTool {
  /** `^[a-zA-Z0-9_-]{1,64}$`, as every service accepts. */
  name: string;
  /** What the tool is for, for the model. */
  description: string;
  /** A JSON Schema (draft 2020-12) object describing the input. */
  inputSchema: Record<string, unknown>;
}

/** A request for a structured answer: the model must call `tool` (it is forced to). */
export interface ToolRequest {
  /** The system prompt, in parts. */
  system: SystemPart[];
  /** The conversation so far, starting with a user turn. */
  messages: ModelMessage[];
  /** The one tool the model must call. */
  tool: ModelTool;
  /** Most tokens the answer may use. */
  maxOutputTokens: number;
  /** Aborts the call. */
  signal?: AbortSignal;
}

/** A model's structured answer. */
export interface ToolAnswer {
  /** The model's call of the requested tool. */
  call: ModelToolCall;
  /** Tokens the call used. */
  usage: ProviderUsage;
}

/** A request for a free-text answer, streamed (chat). */
export interface TextRequest {
  /** The system prompt, in parts. */
  system: SystemPart[];
  /** The conversation so far, starting and ending with a user turn. */
  messages: Array<{ role: 'user' | 'assistant'; text: string }>;
  /** Most tokens the answer may use. */
  maxOutputTokens: number;
  /** Aborts the stream. */
  signal?: AbortSignal;
}

/** A piece of a streamed answer: text as it arrives, then the usage once at the end. */
export type TextEvent = { type: 'text'; text: string } | { type: 'usage'; usage: ProviderUsage };

/**
 * One model behind a service's wire format (Bedrock's Converse API, OpenAI's chat completions).
 * A client only translates: it sends one request and maps the answer or the failure (to a
 * {@link ModelError}); retries, repair rounds, limits and caching are done around it.
 */
export interface ModelClient {
  /** `<provider>:<model>`, e.g. `bedrock:anthropic.claude-sonnet-4-20250514-v1:0`. */
  readonly id: string;
  /** Asks for a structured answer through a forced tool call. */
  callTool(request: ToolRequest): Promise<ToolAnswer>;
  /** Asks for a free-text answer, streamed. */
  streamText(request: TextRequest): AsyncIterable<TextEvent>;
}
