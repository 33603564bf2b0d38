import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryStore, Prism, type PrismApi } from '@prism/sdk';
import { describe, expect, it, onTestFinished } from 'vitest';
import { AutoReviewer } from '../../src/auto-review/index.js';
import { createClientState } from '../../src/watch/client-state.js';
import { createSubscription } from '../../src/watch/subscriptions.js';
import { MemorySeenVersions } from '../../src/watch/versions.js';
import { DRIVE_ID } from './fake-drive.js';
import {
  NOTIFICATION_URL,
  PUBLIC_BASE_URL,
  sampleDocx,
  sampleMarkdown,
  useAutoReview,
} from './harness.js';

const harness = useAutoReview();

/** Waits until the review has finished. */
async function finished(prism: PrismApi, reviewId: string): Promise<void> {
  for (;;) {
    const { status } = await prism.reviews.get(reviewId);
    if (status !== 'queued' && status !== 'running') return;
    await sleep(5);
  }
}

describe('an AutoReviewer of several tenants', () => {
  it('reviews each watch’s files in its own tenant and writes back only through their watch', async () => {
    const { drive, client, store, seen, watch: contracts } = harness();
    const records = new MemoryStore();
    const legal = Prism.local({ store: records, tenantId: 'ten_legal' });
    const people = Prism.local({ store: records, tenantId: 'ten_people' });
    onTestFinished(async () => {
      await legal.close();
      await people.close();
    });
    const tenants = new Map<string, PrismApi>([
      ['ten_legal', legal],
      ['ten_people', people],
    ]);
    const policiesId = drive.addFolder('Policies');
    const clientState = createClientState();
    const subscription = await createSubscription(client, {
      driveId: DRIVE_ID,
      notificationUrl: NOTIFICATION_URL,
      lifecycleNotificationUrl: NOTIFICATION_URL,
      clientState,
    });
    store.put({ ...contracts, tenantId: 'ten_legal', deltaLink: drive.latestDeltaLink() });
    store.put({
      ...contracts,
      id: 'wat_policies',
      tenantId: 'ten_people',
      connectionId: 'con_people',
      folderPath: 'Policies',
      subscriptionId: subscription.id,
      clientState,
      expirationDateTime: subscription.expirationDateTime,
      deltaLink: drive.latestDeltaLink(),
    });
    const policiesSeen = new MemorySeenVersions();
    const reviewer = new AutoReviewer({
      prismFor: (watch) => {
        const prism = tenants.get(watch.tenantId);
        if (prism === undefined) throw new Error(`no tenant ${watch.tenantId}`);
        return prism;
      },
      graphFor: () => client,
      store,
      seenFor: (watch) => (watch.id === contracts.id ? seen : policiesSeen),
      publicBaseUrl: PUBLIC_BASE_URL,
      notificationUrl: NOTIFICATION_URL,
    });
    const leaseId = drive.addFile('Lease.docx', sampleDocx());
    const policyId = drive.addFile('Leave policy.md', sampleMarkdown(1), policiesId);

    const contractsRun = await reviewer.processWatch('wat_contracts');
    const policiesRun = await reviewer.processWatch('wat_policies');

    const leaseReview = contractsRun.started[0]?.reviewId ?? '';
    const policyReview = policiesRun.started[0]?.reviewId ?? '';
    expect(contractsRun.started).toMatchObject([{ itemId: leaseId }]);
    expect(policiesRun.started).toMatchObject([{ itemId: policyId }]);
    expect((await legal.documents.list()).data).toMatchObject([
      { filename: 'Lease.docx', metadata: { watchId: 'wat_contracts' } },
    ]);
    expect((await people.documents.list()).data).toMatchObject([
      {
        filename: 'Leave policy.md',
        metadata: { watchId: 'wat_policies', connectionId: 'con_people' },
      },
    ]);
    expect((await legal.reviews.list()).data.map((review) => review.id)).toEqual([leaseReview]);
    expect((await people.reviews.list()).data.map((review) => review.id)).toEqual([policyReview]);
    await finished(legal, leaseReview);
    await finished(people, policyReview);

    expect(await reviewer.writeBack('wat_policies', leaseReview)).toEqual({
      status: 'skipped',
      reviewId: leaseReview,
      reason: 'not_from_a_watch',
    });
    expect(await reviewer.writeBack('wat_contracts', policyReview)).toEqual({
      status: 'skipped',
      reviewId: policyReview,
      reason: 'not_from_a_watch',
    });
    expect(drive.library.seen('PATCH', /\/listItem\/fields$/)).toHaveLength(0);

    expect(await reviewer.writeBack('wat_contracts', leaseReview)).toMatchObject({
      status: 'written',
      itemId: leaseId,
      copy: { name: 'Lease (Prism review).docx' },
    });
    expect(await reviewer.writeBack('wat_policies', policyReview)).toMatchObject({
      status: 'written',
      itemId: policyId,
      copy: null,
    });
    expect(drive.library.fields.get(leaseId)).toMatchObject({
      PrismReview: `${PUBLIC_BASE_URL}/reviews/${leaseReview}`,
    });
    expect(drive.library.fields.get(policyId)).toMatchObject({
      PrismReview: `${PUBLIC_BASE_URL}/reviews/${policyReview}`,
    });
  });
});
