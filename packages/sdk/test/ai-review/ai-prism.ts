import {
  createBedrockClient,
  createOpenAICompatibleClient,
  type LocalPrism,
  type LocalPrismOptions,
  type ModelClient,
  type ModelProviderOptions,
  Prism,
  type ReviewReport,
} from '../../src/index.js';
import { CREDENTIALS, fetchRequestHandler, REGION } from '../engine/bedrock/bedrock-fixture.js';
import { type ReportSection, reportFile } from './report.js';

/** The file name the test report is uploaded as. */
export const REPORT_FILENAME = 'conveyor-stoppage.md';

/**
 * Makes a model's client as a deployment would, but reachable by the mocks: Bedrock in the test
 * region with fixed credentials, sending through `fetch` (which msw intercepts); an
 * OpenAI-compatible client from `OPENAI_BASE_URL` and `OPENAI_API_KEY`.
 */
function testModelClient(
  provider: 'bedrock' | 'openai-compatible',
  model: string | undefined,
): ModelClient {
  if (provider === 'openai-compatible') return createOpenAICompatibleClient({ model: model ?? '' });
  return createBedrockClient({
    ...(model === undefined ? {} : { modelId: model }),
    region: REGION,
    credentials: CREDENTIALS,
    requestHandler: fetchRequestHandler,
  });
}

/** A Prism reviewing with a model, and the waits its retries asked for. */
export interface AiPrism {
  /** The Prism. */
  prism: LocalPrism;
  /** Each backoff a retry asked for, in milliseconds (none is really waited). */
  waits: number[];
}

/** What {@link aiPrism} takes besides the model spec. */
export interface AiPrismOptions extends Omit<LocalPrismOptions, 'model' | 'modelOptions'> {
  /** Model provider options on top of the instant retries. */
  provider?: ModelProviderOptions;
}

const opened: LocalPrism[] = [];

/**
 * `Prism.local({ model })` with the test clients and instant retries: the backoff is recorded
 * in `waits` instead of waited.
 */
export function aiPrism(model: string, options: AiPrismOptions = {}): AiPrism {
  const { provider, ...rest } = options;
  const waits: number[] = [];
  const prism = Prism.local({
    ...rest,
    model,
    modelOptions: {
      client: testModelClient,
      provider: {
        baseDelayMs: 1,
        sleep: async (ms) => {
          waits.push(ms);
        },
        ...provider,
      },
    },
  });
  opened.push(prism);
  return { prism, waits };
}

/** Closes every Prism {@link aiPrism} made (call it after each test). */
export async function closeAiPrisms(): Promise<void> {
  await Promise.all(opened.splice(0).map((prism) => prism.close()));
}

/** Uploads the report with `sections` and reviews it to its end. */
export function reviewReport(
  prism: LocalPrism,
  sections?: readonly ReportSection[],
): Promise<ReviewReport> {
  return prism.reviewFile(reportFile(sections), { filename: REPORT_FILENAME });
}
