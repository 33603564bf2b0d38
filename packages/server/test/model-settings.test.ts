import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateApiKeySecret, HttpPrism, type Review } from '@prism/sdk';
import { HttpResponse, http } from 'msw';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chatCompletion, toolCall } from '../../sdk/test/engine/openai-compatible/fixtures.js';
import { setupMockService } from '../../sdk/test/engine/openai-compatible/mock-service.js';
import { ConfigSchema } from '../src/config.js';
import { type RunningServer, startServer } from '../src/start.js';

// Creating an embedded database takes several seconds.
vi.setConfig({ hookTimeout: 60_000, testTimeout: 30_000 });

const SAMPLE = resolve(
  import.meta.dirname,
  '../../../examples/documents/phishing-account-takeover.md',
);

const FINDING = {
  frameworkItems: [6],
  severity: 'major',
  category: 'vague-timeline',
  title: 'The timeline gives no times',
  description: 'Events are listed without when they happened, so the sequence cannot be checked.',
  suggestion: 'Give each event its date and time, with the time zone.',
  quote: null,
  confidence: 0.8,
};

describe('a server with PRISM_MODEL and PRISM_TENANT_MONTHLY_TOKENS', () => {
  const model = setupMockService();
  const adminKey = generateApiKeySecret();
  let dataDir: string;
  let server: RunningServer;
  let prism: HttpPrism;

  beforeAll(async () => {
    vi.stubEnv('OPENAI_BASE_URL', `${model.origin}/v1`);
    vi.stubEnv('OPENAI_API_KEY', 'sk-proj-PrismServerTest0123456789abcd');
    dataDir = await mkdtemp(join(tmpdir(), 'prism-model-'));
    server = await startServer(
      ConfigSchema.parse({
        PORT: 0,
        PRISM_DATA_DIR: dataDir,
        PRISM_BOOTSTRAP_KEY: adminKey,
        PRISM_LOG_LEVEL: 'silent',
        PRISM_MODEL: 'openai-compatible:gpt-4o-mini',
        PRISM_TENANT_MONTHLY_TOKENS: 3000,
      }),
    );
    prism = new HttpPrism({ baseUrl: server.url, apiKey: adminKey });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await prism?.close();
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function reviewed(): Promise<Review> {
    const document = await prism.documents.create({
      file: await readFile(SAMPLE),
      filename: 'phishing-account-takeover.md',
    });
    const { id } = await prism.reviews.create({ documentId: document.id });
    await vi.waitFor(
      async () => expect(['succeeded', 'failed']).toContain((await prism.reviews.get(id)).status),
      { timeout: 20_000, interval: 50 },
    );
    return prism.reviews.get(id);
  }

  it('reviews with the model until the tenant has used its month, keeping what it found', async () => {
    model.use(
      http.post('*/v1/chat/completions', () =>
        HttpResponse.json(
          chatCompletion(
            { tool_calls: [toolCall(JSON.stringify({ findings: [FINDING] }))] },
            { usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 } },
          ),
        ),
      ),
    );
    const review = await reviewed();
    expect(review).toMatchObject({
      model: 'openai-compatible:gpt-4o-mini',
      promptVersion: expect.any(String),
      status: 'failed',
      error: { code: 'token_budget_exceeded' },
    });
    const calls = model.requests.length;
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(review.usage).toMatchObject({ inputTokens: calls * 1000, outputTokens: calls * 100 });
    expect(review.usage.costUsd).toBeCloseTo((calls * (1000 * 0.15 + 100 * 0.6)) / 1e6, 10);
    const findings = await prism.findings.list(review.id).toArray();
    expect(findings.map((finding) => finding.title)).toContain('The timeline gives no times');

    // The month is used up: the next review asks the model nothing.
    const next = await reviewed();
    expect(next).toMatchObject({ status: 'failed', error: { code: 'token_budget_exceeded' } });
    expect(model.requests.length).toBe(calls);
  });
});
