import { resolve } from 'node:path';
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chatCompletion, toolCall } from '../../sdk/test/engine/openai-compatible/fixtures.js';
import { setupMockService } from '../../sdk/test/engine/openai-compatible/mock-service.js';
import { runCli } from './run-cli.js';

const flawed = resolve(
  import.meta.dirname,
  '../../../examples/documents/phishing-account-takeover.md',
);

/** One finding on whatever the model is asked about: the timeline lacks times. */
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

describe('prism review --model openai-compatible:<model>', () => {
  const service = setupMockService();
  afterEach(() => vi.unstubAllEnvs());

  it('reviews with the model at OPENAI_BASE_URL and reports its tokens and cost', async () => {
    service.use(
      http.post('*/v1/chat/completions', () =>
        HttpResponse.json(
          chatCompletion(
            { tool_calls: [toolCall(JSON.stringify({ findings: [FINDING] }))] },
            { usage: { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 } },
          ),
        ),
      ),
    );
    vi.stubEnv('OPENAI_BASE_URL', `${service.origin}/v1`);
    vi.stubEnv('OPENAI_API_KEY', 'sk-proj-PrismCliTest0123456789abcdef');

    const { code, stdout, stderr } = await runCli(
      'review',
      flawed,
      '--model',
      'openai-compatible:gpt-4o-mini',
    );

    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const calls = service.requests.length;
    expect(calls).toBeGreaterThan(1);
    for (const request of service.requests) {
      expect(request.headers.get('authorization')).toBe(
        'Bearer sk-proj-PrismCliTest0123456789abcdef',
      );
    }
    expect(stdout).toContain('The timeline gives no times');
    // gpt-4o-mini: $0.15 per million input tokens, $0.60 per million output tokens.
    const cost = (calls * (1000 * 0.15 + 100 * 0.6)) / 1_000_000;
    expect(stdout).toContain(
      `openai-compatible:gpt-4o-mini · ${calls * 1000} tokens in, ${calls * 100} out · ~$${cost.toFixed(4)}`,
    );
  });

  it('fails the review with one line and a hint when the model refuses the key', async () => {
    service.use(
      http.post('*/v1/chat/completions', () =>
        HttpResponse.json(
          {
            error: {
              message: 'Incorrect API key provided: sk-proj-***def.',
              type: 'invalid_request_error',
              param: null,
              code: 'invalid_api_key',
            },
          },
          { status: 401 },
        ),
      ),
    );
    vi.stubEnv('OPENAI_BASE_URL', `${service.origin}/v1`);
    vi.stubEnv('OPENAI_API_KEY', 'sk-proj-PrismCliTest0123456789abcdef');

    const { code, stdout, stderr } = await runCli(
      'review',
      flawed,
      '--model',
      'openai-compatible:gpt-4o-mini',
    );

    expect(code).toBe(1);
    expect(stdout).not.toContain('tokens in');
    expect(stderr).toMatch(/^prism: .+phishing-account-takeover\.md: .+\[model_access_denied\]\n/m);
    expect(stderr).toMatch(/^ {2}hint: .+/m);
    expect(stderr).not.toContain('sk-proj-PrismCliTest0123456789abcdef');
  });
});
