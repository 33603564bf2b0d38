import { HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectionError,
  type Finding,
  HttpPrism,
  NotFoundError,
  type Review,
  ReviewFailedError,
  ValidationError,
} from '../../src/index.js';
import { problemResponse, setupHarness } from '../client/harness.js';
import { exampleOf, type ReceivedCall, specHandlers } from './spec-handlers.js';

const mock = setupHarness('fetch');
const calls: ReceivedCall[] = [];

afterEach(() => {
  calls.length = 0;
});

function connect(overrides?: Parameters<typeof specHandlers>[2]): HttpPrism {
  mock.use(...specHandlers(mock.baseUrl, calls, overrides));
  return new HttpPrism(mock.transport({ maxRetries: 0 }));
}

const finished = exampleOf<Review>('Review');
const finding = exampleOf<Finding>('Finding');
const queued: Review = {
  ...finished,
  status: 'queued',
  progress: { sectionsDone: 0, sectionsTotal: 9 },
  summary: null,
  startedAt: null,
  completedAt: null,
};
const running: Review = {
  ...queued,
  status: 'running',
  progress: { sectionsDone: 4, sectionsTotal: 9 },
};

/** A `text/event-stream` response sending `messages` as separate chunks. */
function eventStreamResponse(messages: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const message of messages) controller.enqueue(encoder.encode(message));
      controller.close();
    },
  });
  return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } });
}

function sse(type: string, data: unknown, id: number): string {
  return `event: ${type}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

describe('reviews.events', () => {
  it('yields the validated events of the stream, ending after the last one', async () => {
    const prism = connect({
      streamReviewEvents: () =>
        eventStreamResponse([
          ': connected\n\n',
          sse('progress', { type: 'progress', review: running }, 1),
          sse('completed', { type: 'completed', review: finished }, 2),
          sse('progress', { type: 'progress', review: running }, 3),
        ]),
    });
    const types: string[] = [];
    for await (const event of prism.reviews.events(finished.id)) types.push(event.type);
    expect(types).toEqual(['progress', 'completed']);
    expect(calls[0]).toMatchObject({
      method: 'GET',
      path: `/v2/reviews/${finished.id}/events`,
      problems: [],
    });
    expect(calls[0]?.headers.get('accept')).toBe('text/event-stream');
  });

  it('resumes a stream that ends early from the last event id', async () => {
    const prism = connect({
      streamReviewEvents: (request) =>
        request.headers.get('last-event-id') === '1'
          ? eventStreamResponse([sse('completed', { type: 'completed', review: finished }, 2)])
          : eventStreamResponse([sse('progress', { type: 'progress', review: running }, 1)]),
    });
    const types: string[] = [];
    for await (const event of prism.reviews.events(finished.id)) types.push(event.type);
    expect(types).toEqual(['progress', 'completed']);
    expect(calls.map((call) => call.headers.get('last-event-id'))).toEqual([null, '1']);
  });

  it('fails with a ConnectionError once resuming does not help', async () => {
    const prism = connect({
      streamReviewEvents: () =>
        eventStreamResponse([sse('progress', { type: 'progress', review: running }, 1)]),
    });
    const iterate = async () => {
      for await (const _ of prism.reviews.events(finished.id)) {
        // Reads every event of every attempt.
      }
    };
    await expect(iterate()).rejects.toBeInstanceOf(ConnectionError);
    expect(calls).toHaveLength(3);
  });

  it('rejects an event that breaks the schema with a ValidationError', async () => {
    const prism = connect({
      streamReviewEvents: () =>
        eventStreamResponse([sse('progress', { type: 'progress', review: { id: 1 } }, 1)]),
    });
    const iterate = async () => {
      for await (const _ of prism.reviews.events(finished.id)) {
        // Reads until the bad event.
      }
    };
    await expect(iterate()).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('reviews.create handle', () => {
  it('emits progress and findings and resolves with the review when it completes', async () => {
    const prism = connect({
      createReview: () => HttpResponse.json(queued, { status: 202 }),
      streamReviewEvents: () =>
        eventStreamResponse([
          sse('progress', { type: 'progress', review: running }, 1),
          sse('finding', { type: 'finding', review: running, finding }, 2),
          sse('completed', { type: 'completed', review: finished }, 3),
        ]),
    });
    const handle = await prism.reviews.create(
      { documentId: queued.documentId },
      { idempotencyKey: 'idem_r' },
    );
    expect(handle.id).toBe(queued.id);
    expect(handle.review.status).toBe('queued');
    const seen: string[] = [];
    handle
      .on('progress', (review) => seen.push(`progress ${review.progress.sectionsDone}`))
      .on('finding', (found) => seen.push(`finding ${found.id}`))
      .on('completed', (review) => seen.push(`completed ${review.status}`))
      .on('failed', () => seen.push('failed'));

    await expect(handle.done()).resolves.toEqual(finished);
    expect(seen).toEqual(['progress 4', `finding ${finding.id}`, 'completed succeeded']);
    expect(handle.review).toEqual(finished);
    expect(calls[0]).toMatchObject({
      operationId: 'createReview',
      body: { documentId: queued.documentId },
      problems: [],
    });
    expect(calls[0]?.headers.get('idempotency-key')).toBe('idem_r');
  });

  it('rejects with a ReviewFailedError carrying the review error code when it fails', async () => {
    const failed: Review = {
      ...running,
      status: 'failed',
      error: { code: 'provider_unavailable', message: 'The model provider did not answer.' },
    };
    const prism = connect({
      createReview: () => HttpResponse.json(queued, { status: 202 }),
      streamReviewEvents: () =>
        eventStreamResponse([sse('failed', { type: 'failed', review: failed }, 1)]),
    });
    const handle = await prism.reviews.create({ documentId: queued.documentId });
    const failures: Review[] = [];
    handle.on('failed', (review) => failures.push(review));
    const error = await handle.done().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReviewFailedError);
    expect(error).toMatchObject({ code: 'provider_unavailable', review: failed });
    expect(failures).toEqual([failed]);
  });

  it('rejects with review_canceled when the review is canceled', async () => {
    const canceled: Review = { ...running, status: 'canceled' };
    const prism = connect({
      createReview: () => HttpResponse.json(queued, { status: 202 }),
      streamReviewEvents: () =>
        eventStreamResponse([sse('canceled', { type: 'canceled', review: canceled }, 1)]),
    });
    const handle = await prism.reviews.create({ documentId: queued.documentId });
    await expect(handle.done()).rejects.toMatchObject({ code: 'review_canceled' });
  });

  it('polls the review when the stream keeps ending before its last event', async () => {
    const prism = connect({
      createReview: () => HttpResponse.json(queued, { status: 202 }),
      streamReviewEvents: () =>
        eventStreamResponse([sse('progress', { type: 'progress', review: running }, 1)]),
    });
    const handle = await prism.reviews.create({ documentId: queued.documentId });
    const completed: Review[] = [];
    handle.on('completed', (review) => completed.push(review));
    await expect(handle.done()).resolves.toEqual(finished);
    expect(completed).toEqual([finished]);
    expect(calls.map((call) => call.operationId)).toEqual([
      'createReview',
      'streamReviewEvents',
      'streamReviewEvents',
      'streamReviewEvents',
      'getReview',
    ]);
  });

  it('emits the findings the lost stream did not carry once polling sees the review succeed', async () => {
    const other = { ...finding, id: 'fnd_other' };
    const prism = connect({
      createReview: () => HttpResponse.json(queued, { status: 202 }),
      streamReviewEvents: () =>
        eventStreamResponse([sse('finding', { type: 'finding', review: running, finding }, 1)]),
      listFindings: () =>
        HttpResponse.json({ data: [finding, other], hasMore: false, nextCursor: null }),
    });
    const handle = await prism.reviews.create({ documentId: queued.documentId });
    const seen: string[] = [];
    handle.on('finding', (found) => seen.push(found.id));
    handle.on('completed', () => seen.push('completed'));
    await expect(handle.done()).resolves.toEqual(finished);
    expect(seen).toEqual([finding.id, 'fnd_other', 'completed']);
    expect(calls.at(-1)?.operationId).toBe('listFindings');
  });

  it('rejects with the API error when the review cannot be followed', async () => {
    const prism = connect({
      createReview: () => HttpResponse.json(queued, { status: 202 }),
      streamReviewEvents: () => problemResponse(404, { code: 'not_found' }),
    });
    const handle = await prism.reviews.create({ documentId: queued.documentId });
    await expect(handle.done()).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('chat.stream', () => {
  it('streams the answer as text deltas, then the whole answer', async () => {
    const answer = exampleOf('ChatAnswer');
    const prism = connect({
      askChat: (request) =>
        request.headers.get('accept') === 'text/event-stream'
          ? eventStreamResponse([
              sse('delta', { type: 'delta', text: 'One action ' }, 1),
              sse('delta', { type: 'delta', text: 'has no owner.' }, 2),
              sse('done', { type: 'done', answer }, 3),
            ])
          : problemResponse(406, { code: 'not_acceptable' }),
    });
    const events = [];
    for await (const event of prism.chat.stream(exampleOf('ChatRequest'))) events.push(event);
    expect(events.map((event) => event.text ?? event.answer)).toEqual([
      'One action ',
      'has no owner.',
      answer,
    ]);
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/v2/chat', problems: [] });
  });
});

describe('a broken event stream', () => {
  /** A stream that sends `messages`, then fails (or, with `hang`, stays open). */
  function brokenStream(messages: string[], end: 'fail' | 'hang'): Response {
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        for (const message of messages) controller.enqueue(encoder.encode(message));
        if (end === 'fail') {
          await new Promise((resolve) => setTimeout(resolve, 1));
          controller.error(new Error('socket hang up'));
        }
      },
    });
    return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream' } });
  }

  it('makes the handle poll when the stream fails midway', async () => {
    const prism = connect({
      createReview: () => HttpResponse.json(queued, { status: 202 }),
      streamReviewEvents: () =>
        brokenStream([sse('progress', { type: 'progress', review: running }, 1)], 'fail'),
    });
    const handle = await prism.reviews.create({ documentId: queued.documentId });
    await expect(handle.done()).resolves.toEqual(finished);
    expect(calls.at(-1)?.operationId).toBe('getReview');
  });

  it("stops with a UserAbortError when the caller's signal aborts it", async () => {
    const prism = connect({
      streamReviewEvents: () =>
        brokenStream([sse('progress', { type: 'progress', review: running }, 1)], 'hang'),
    });
    const controller = new AbortController();
    const types: string[] = [];
    const iterate = async () => {
      for await (const event of prism.reviews.events(finished.id, { signal: controller.signal })) {
        types.push(event.type);
        controller.abort();
      }
    };
    await expect(iterate()).rejects.toMatchObject({ code: 'aborted' });
    expect(types).toEqual(['progress']);
  });
});
