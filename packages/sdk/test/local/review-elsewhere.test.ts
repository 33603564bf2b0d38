import { describe, expect, it } from 'vitest';
import { bytesOf, INCIDENT_REPORT } from '../../src/contract/documents.js';
import {
  type Finding,
  MemoryStore,
  PrismService,
  type ReviewJob,
  runReviewJob,
} from '../../src/index.js';

describe('a review run by another process', () => {
  it('is followed through the store: its handle sees its findings and end', async () => {
    const store = new MemoryStore();
    const queued: ReviewJob[] = [];
    // The API side only queues reviews; a worker sharing the store runs them.
    const api = new PrismService({
      store,
      jobs: () => ({ enqueueReview: async (job) => void queued.push(job), settle: async () => {} }),
    });
    const worker = new PrismService({ store });
    const prism = api.forActor('tenant', { type: 'user', id: 'u1', name: null });
    const document = await prism.documents.create({
      file: bytesOf(INCIDENT_REPORT),
      filename: 'a.md',
    });
    const handle = await prism.reviews.create({ documentId: document.id });
    const findings: Finding[] = [];
    handle.on('finding', (finding) => findings.push(finding));
    const done = handle.done();

    expect(queued).toEqual([{ tenantId: 'tenant', reviewId: handle.id }]);
    await runReviewJob(worker.core, queued[0] as ReviewJob);
    const review = await done;
    expect(review.status).toBe('succeeded');
    expect(findings.map((finding) => finding.id)).toEqual(
      (await prism.findings.list(review.id).toArray()).map((finding) => finding.id),
    );
    await api.close();
    await worker.close();
  });
});
