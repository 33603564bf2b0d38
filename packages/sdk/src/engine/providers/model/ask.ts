import type { Framework } from '../../../schema/index.js';
import type { ProviderFinding, ProviderUsage } from '../../types.js';
import { type AnswerTarget, checkAnswer, repairMessage } from './answer-check.js';
import { findingsTool } from './findings-tool.js';
import type { ModelClient, ToolAnswer, ToolRequest } from './model-client.js';
import { ModelError } from './model-error.js';
import type { ModelPrompt } from './prompts.js';
import { type RetrySettings, withRetries } from './retry.js';

/** What the model answered to one prompt: its findings and what every call cost. */
export interface ModelPass {
  /** The validated findings (none when degraded). */
  findings: ProviderFinding[];
  /** The usage of every call that answered, repair rounds included. */
  usages: ProviderUsage[];
  /** Why the model's findings are missing, when they are. */
  degraded?: string;
}

/** What {@link askForFindings} needs. */
export interface FindingsQuestion {
  /** The model to ask. */
  client: ModelClient;
  /** The prompt. */
  prompt: ModelPrompt;
  /** The framework the answer must cite. */
  framework: Framework;
  /** Where the findings belong and where their quotes must occur. */
  target: AnswerTarget;
  /** What is reviewed, for the degraded reason: `section 3 ("Root cause")`, `the document`. */
  label: string;
  /** Retries, waits and the output limit. */
  settings: RetrySettings & { maxOutputTokens: number };
  /** Aborts the calls and the waits. */
  signal: AbortSignal | undefined;
}

/**
 * Asks the model for findings through the findings tool, retrying retryable failures. An
 * answer that fails validation gets one repair round: the conversation is sent again with the
 * model's tool call and a tool result listing what was wrong (with field paths). An answer the
 * client could not read (`model_answer_invalid`) is asked for once more. When the second
 * answer is no better, the pass is degraded: no findings, and the reason. Other errors are
 * thrown (after retries).
 */
export async function askForFindings(question: FindingsQuestion): Promise<ModelPass> {
  const { client, prompt, framework, target, settings, signal } = question;
  const first: ToolRequest = {
    system: prompt.system,
    messages: prompt.messages,
    tool: findingsTool(framework).tool,
    maxOutputTokens: settings.maxOutputTokens,
    ...(signal === undefined ? {} : { signal }),
  };
  const usages: ProviderUsage[] = [];
  let request = first;
  let problem = '';
  for (let round = 0; round < 2; round++) {
    const current = request;
    let answer: ToolAnswer;
    try {
      answer = await withRetries(() => client.callTool(current), settings, signal);
    } catch (error) {
      if (!(error instanceof ModelError) || error.code !== 'model_answer_invalid') throw error;
      problem = error.message;
      request = first;
      continue;
    }
    usages.push(answer.usage);
    const checked = checkAnswer(answer.call, framework, target);
    if (checked.ok) return { findings: checked.findings, usages };
    const [head, ...rest] = checked.problems;
    problem = rest.length === 0 ? `${head}` : `${head}, and ${rest.length} more`;
    request = {
      ...first,
      messages: [
        ...first.messages,
        { role: 'assistant', toolCall: answer.call },
        {
          role: 'user',
          toolResult: { toolCallId: answer.call.id, error: repairMessage(checked.problems) },
        },
      ],
    };
  }
  return {
    findings: [],
    usages,
    degraded:
      `The model's answer for ${question.label} was invalid twice (${problem}); ` +
      'the rules findings stand in for it.',
  };
}
