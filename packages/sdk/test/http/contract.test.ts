import { setupServer } from 'msw/node';
import { afterAll, beforeAll, expect } from 'vitest';
import { describePrismContract } from '../../src/contract/index.js';
import { HttpPrism, Prism } from '../../src/index.js';
import { localServerHandlers } from './local-server.js';
import type { ReceivedCall } from './spec-handlers.js';

const baseUrl = 'http://prism.test';
const calls: ReceivedCall[] = [];
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => {
  server.close();
  // Every answer matched openapi/prism.yaml, and so did every request but the contract's four
  // deliberately invalid ones, which the client passed on for the server to refuse.
  const violations = calls.filter((call) => call.problems.length > 0);
  expect(violations.map((call) => call.operationId).sort()).toEqual([
    'createReview',
    'createWebhookEndpoint',
    'listReviews',
    'rejectFinding',
  ]);
  expect(calls.length).toBeGreaterThan(50);
});

describePrismContract('HttpPrism against a server double (msw)', () => {
  const local = Prism.local();
  server.resetHandlers(...localServerHandlers(baseUrl, local, { calls }));
  return new HttpPrism({ baseUrl, apiKey: 'prism_sk_test', fetch: globalThis.fetch });
});
