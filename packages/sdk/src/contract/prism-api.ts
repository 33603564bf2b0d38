import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismClient } from '../api/types.js';
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  UnprocessableEntityError,
} from '../client/errors.js';
import { verifyAuditChain } from '../local/audit-chain.js';
import {
  type Document,
  type Finding,
  FindingSchema,
  type Review,
  ReviewExportSchema,
  ReviewSchema,
} from '../schema/index.js';
import { bytesOf, INCIDENT_REPORT, SECOND_REPORT } from './documents.js';

/** Makes the client a contract run talks to (a fresh one, with no records). */
export type PrismFactory = () => PrismClient | Promise<PrismClient>;

/**
 * The behaviour every `PrismApi` implementation must share, as a vitest suite: run it against
 * `Prism.local()`, an HTTP client and a server, and the same code works on each.
 *
 * @example
 * describePrismContract('Prism.local()', () => Prism.local());
 */
export function describePrismContract(label: string, create: PrismFactory): void {
  describe(`PrismApi contract: ${label}`, () => {
    let prism: PrismClient;
    let document: Document;
    let review: Review;
    let findings: Finding[];

    beforeAll(async () => {
      prism = await create();
      document = await prism.documents.create({
        file: bytesOf(INCIDENT_REPORT),
        filename: 'scanner-outage.md',
        metadata: { team: 'logistics' },
      });
      const handle = await prism.reviews.create({ documentId: document.id });
      review = await handle.done();
      findings = await prism.findings.list(review.id).toArray();
    });

    afterAll(async () => {
      await prism?.close();
    });

    describe('documents', () => {
      it('splits an upload into sections and keeps its name, size, hash and metadata', async () => {
        expect(document.filename).toBe('scanner-outage.md');
        expect(document.sizeBytes).toBe(bytesOf(INCIDENT_REPORT).byteLength);
        expect(document.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(document.metadata).toEqual({ team: 'logistics' });
        expect(document.sections.map((section) => section.heading)).toEqual(
          expect.arrayContaining(['Summary', 'Timeline', 'Root cause', 'Actions']),
        );
        expect(await prism.documents.get(document.id)).toEqual(document);
      });

      it('lists documents newest first, page by page', async () => {
        const second = await prism.documents.create({
          file: new Blob([SECOND_REPORT]),
          filename: 'label-printer.md',
        });
        const firstPage = await prism.documents.list({ limit: 1 });
        expect(firstPage.data.map((item) => item.id)).toEqual([second.id]);
        expect(firstPage.hasMore).toBe(true);
        const all = await prism.documents.list({ limit: 1 }).toArray();
        expect(all.map((item) => item.id)).toEqual(
          expect.arrayContaining([second.id, document.id]),
        );
        expect(all.findIndex((item) => item.id === second.id)).toBeLessThan(
          all.findIndex((item) => item.id === document.id),
        );
      });

      it('deletes a document with its reviews', async () => {
        const doomed = await prism.documents.create({
          file: bytesOf(SECOND_REPORT),
          filename: 'doomed.md',
        });
        const doomedReview = await (await prism.reviews.create({ documentId: doomed.id })).done();
        await prism.documents.delete(doomed.id);
        await expect(prism.documents.get(doomed.id)).rejects.toBeInstanceOf(NotFoundError);
        await expect(prism.reviews.get(doomedReview.id)).rejects.toBeInstanceOf(NotFoundError);
        await expect(prism.documents.delete(doomed.id)).rejects.toBeInstanceOf(NotFoundError);
      });

      it('refuses a file it cannot read with a typed error and a hint', async () => {
        const error = await prism.documents
          .create({ file: bytesOf('{\\rtf1 old}'), filename: 'old.rtf' })
          .catch((caught: unknown) => caught);
        expect(error).toMatchObject({
          code: expect.stringMatching(/format/),
          hint: expect.any(String),
        });
      });
    });

    describe('reviews', () => {
      it('finishes a review with a score, a risk level and counts that match its findings', () => {
        expect(ReviewSchema.parse(review)).toEqual(review);
        expect(review).toMatchObject({
          documentId: document.id,
          status: 'succeeded',
          framework: { id: 'hawkeye-20' },
          progress: {
            sectionsDone: document.sections.length,
            sectionsTotal: document.sections.length,
          },
        });
        expect(findings.length).toBeGreaterThan(0);
        const counts = { critical: 0, major: 0, minor: 0, info: 0 };
        for (const finding of findings) counts[finding.severity] += 1;
        expect(review.summary?.counts).toEqual(counts);
      });

      it('finds the timeline without times and the actions without owners', () => {
        const items = new Set(
          findings.flatMap((finding) => finding.frameworkItems.map((item) => item.key)),
        );
        expect(items).toContain('timeline');
        expect(items).toContain('actions');
        for (const finding of findings) {
          expect(FindingSchema.parse(finding)).toEqual(finding);
          expect(finding).toMatchObject({
            reviewId: review.id,
            documentId: document.id,
            status: 'open',
          });
        }
      });

      it('reports progress and each finding through the handle, then completes', async () => {
        const handle = await prism.reviews.create({ documentId: document.id });
        const seen: { progress: number; findings: Finding[]; completed: Review[] } = {
          progress: 0,
          findings: [],
          completed: [],
        };
        handle.on('progress', () => {
          seen.progress += 1;
        });
        handle.on('finding', (finding) => seen.findings.push(finding));
        handle.on('completed', (done) => seen.completed.push(done));
        const done = await handle.done();
        expect(done.status).toBe('succeeded');
        expect(seen.completed).toEqual([done]);
        const listed = await prism.findings.list(done.id).toArray();
        expect(seen.findings.map((finding) => finding.id)).toEqual(
          listed.map((finding) => finding.id),
        );
      });

      it("replays a finished review's findings and end through events()", async () => {
        const types: string[] = [];
        for await (const event of prism.reviews.events(review.id)) types.push(event.type);
        expect(types.filter((type) => type === 'finding')).toHaveLength(findings.length);
        expect(types.at(-1)).toBe('completed');
      });

      it('gets and lists reviews, filtered by document and status', async () => {
        expect(await prism.reviews.get(review.id)).toEqual(review);
        const ofDocument = await prism.reviews.list({ documentId: document.id }).toArray();
        expect(ofDocument.map((item) => item.id)).toContain(review.id);
        expect(ofDocument.every((item) => item.documentId === document.id)).toBe(true);
        const failed = await prism.reviews.list({ status: 'failed' }).toArray();
        expect(failed.map((item) => item.id)).not.toContain(review.id);
      });

      it('refuses to cancel a finished review (409 review_finished)', async () => {
        await expect(prism.reviews.cancel(review.id)).rejects.toSatisfy(
          (error) => error instanceof ConflictError && error.code === 'review_finished',
        );
      });

      it('answers a missing document, an unknown framework and a bad body with typed errors', async () => {
        await expect(prism.reviews.create({ documentId: 'doc_missing' })).rejects.toSatisfy(
          (error) => error instanceof NotFoundError && error.requestId !== undefined,
        );
        await expect(
          prism.reviews.create({ documentId: document.id, framework: 'no-such-framework' }),
        ).rejects.toSatisfy(
          (error) =>
            error instanceof UnprocessableEntityError && error.code === 'unknown_framework',
        );
        await expect(
          prism.reviews.create({ documentId: 42 } as unknown as { documentId: string }),
        ).rejects.toSatisfy(
          (error) =>
            error instanceof UnprocessableEntityError &&
            error.fieldErrors.some((field) => field.path === '/documentId'),
        );
      });
    });

    describe('findings', () => {
      it("filters a review's findings by severity and framework item", async () => {
        const first = findings[0] as Finding;
        const severe = await prism.findings.list(review.id, { severity: first.severity }).toArray();
        expect(severe.every((finding) => finding.severity === first.severity)).toBe(true);
        const number = first.frameworkItems[0]?.number ?? 0;
        const ofItem = await prism.findings.list(review.id, { item: number }).toArray();
        expect(ofItem.map((finding) => finding.id)).toContain(first.id);
        expect(
          ofItem.every((finding) => finding.frameworkItems.some((item) => item.number === number)),
        ).toBe(true);
      });

      it('records accept and reject decisions with their reasons', async () => {
        const [first, second] = findings as [Finding, Finding];
        const accepted = await prism.findings.accept(first.id, { reason: 'fair point' });
        expect(accepted).toMatchObject({
          status: 'accepted',
          decision: { outcome: 'accepted', reason: 'fair point' },
        });
        const rejected = await prism.findings.reject(second.id, { reason: 'times are in the log' });
        expect(rejected).toMatchObject({
          status: 'rejected',
          decision: { outcome: 'rejected', reason: 'times are in the log' },
        });
        expect((await prism.findings.get(second.id)).status).toBe('rejected');
        await expect(prism.findings.reject(first.id, { reason: '' })).rejects.toBeInstanceOf(
          UnprocessableEntityError,
        );
      });

      it("adds a reviewer's own finding and edits it", async () => {
        const own = await prism.findings.create(review.id, {
          frameworkItems: [{ number: 8, key: 'root-cause' }],
          severity: 'major',
          title: 'Why was rotation switched off?',
          description: 'The upgrade that switched log rotation off is not explained.',
        });
        expect(own).toMatchObject({ origin: 'human', category: 'reviewer-note', status: 'open' });
        const edited = await prism.findings.update(own.id, {
          severity: 'minor',
          status: 'resolved',
        });
        expect(edited).toMatchObject({ severity: 'minor', status: 'resolved', title: own.title });
        await expect(
          prism.findings.create(review.id, {
            frameworkItems: [{ number: 99, key: 'nothing' }],
            severity: 'minor',
            title: 'x',
            description: 'y',
          }),
        ).rejects.toBeInstanceOf(UnprocessableEntityError);
        await expect(prism.findings.get('fnd_missing')).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('exports', () => {
      it('exports JSON, Markdown and SARIF', async () => {
        const json = await prism.exports.get(review.id, 'json');
        expect(json.contentType).toMatch(/^application\/json/);
        const parsed = ReviewExportSchema.parse(JSON.parse(new TextDecoder().decode(json.body)));
        expect(parsed.review.id).toBe(review.id);
        expect(parsed.findings).toHaveLength(
          (await prism.findings.list(review.id).toArray()).length,
        );
        const markdown = new TextDecoder().decode(
          (await prism.exports.get(review.id, 'markdown')).body,
        );
        expect(markdown).toContain('Warehouse Scanner Outage');
        const sarif = JSON.parse(
          new TextDecoder().decode((await prism.exports.get(review.id, 'sarif')).body),
        );
        expect(sarif.version).toBe('2.1.0');
      });

      it('refuses a .docx export of a Markdown document (400)', async () => {
        await expect(prism.exports.get(review.id, 'docx')).rejects.toBeInstanceOf(BadRequestError);
      });
    });

    describe('frameworks', () => {
      it('lists the built-in Hawkeye checklist and gets it by id and version', async () => {
        const all = await prism.frameworks.list().toArray();
        const hawkeye = all.find((framework) => framework.id === 'hawkeye-20');
        expect(hawkeye?.items).toHaveLength(20);
        expect(
          await prism.frameworks.get('hawkeye-20', { version: hawkeye?.version ?? '' }),
        ).toEqual(hawkeye);
        await expect(prism.frameworks.get('no-such-framework')).rejects.toBeInstanceOf(
          NotFoundError,
        );
      });

      it('adds a custom framework, refuses the same version twice, and reviews with it', async () => {
        const custom = await prism.frameworks.create({
          id: 'contract-checklist',
          version: '1.0.0',
          name: 'Contract checklist',
          items: [
            {
              number: 1,
              key: 'summary',
              title: 'Summary',
              checks: 'Says what happened.',
              defaultSeverity: 'major',
            },
          ],
        });
        expect(custom).toMatchObject({ id: 'contract-checklist', builtIn: false });
        await expect(
          prism.frameworks.create({
            id: custom.id,
            version: custom.version,
            name: 'Again',
            items: custom.items,
          }),
        ).rejects.toBeInstanceOf(ConflictError);
        const done = await (
          await prism.reviews.create({ documentId: document.id, framework: 'contract-checklist' })
        ).done();
        expect(done.framework).toEqual({ id: 'contract-checklist', version: '1.0.0' });
      });
    });

    describe('chat', () => {
      it('answers a question about a document with citations to its sections', async () => {
        const answer = await prism.chat.ask({
          documentId: document.id,
          question: 'Why did the sync service stop?',
        });
        expect(answer.answer).toMatch(/disk space/);
        expect(answer.citations.map((citation) => citation.heading)).toContain('Root cause');
        const byReview = await prism.chat.ask({
          reviewId: review.id,
          question: 'Why did the sync service stop?',
        });
        expect(byReview.answer).toBe(answer.answer);
      });

      it('streams the answer as deltas, then the whole answer', async () => {
        let text = '';
        let whole = '';
        for await (const event of prism.chat.stream({
          documentId: document.id,
          question: 'What actions are open?',
        })) {
          if (event.type === 'delta') text += event.text ?? '';
          else whole = event.answer?.answer ?? '';
        }
        expect(whole).not.toBe('');
        expect(text).toBe(whole);
      });
    });

    describe('patterns and stats', () => {
      it('finds findings that recur across documents', async () => {
        const second = await prism.documents.create({
          file: bytesOf(SECOND_REPORT),
          filename: 'printer.md',
        });
        await (await prism.reviews.create({ documentId: second.id })).done();
        const patterns = await prism.patterns.list({ frameworkId: 'hawkeye-20' }).toArray();
        const timeline = patterns.find((pattern) => pattern.frameworkItem.key === 'timeline');
        expect(timeline?.documentCount).toBeGreaterThanOrEqual(2);
        expect(timeline?.occurrences.map((occurrence) => occurrence.documentId)).toContain(
          second.id,
        );
      });

      it('counts reviews and findings by status', async () => {
        const stats = await prism.stats.get();
        expect(stats.reviews.byStatus.succeeded).toBeGreaterThanOrEqual(1);
        expect(stats.findings.byStatus.accepted).toBeGreaterThanOrEqual(1);
        expect(stats.findings.byStatus.rejected).toBeGreaterThanOrEqual(1);
        expect(stats.acceptanceRate).toBeGreaterThan(0);
        expect(stats.acceptanceRate).toBeLessThan(1);
      });
    });

    describe('webhook endpoints', () => {
      it('creates an endpoint with a secret shown once, then updates, rotates and deletes it', async () => {
        const { endpoint, secret } = await prism.webhooks.create({
          url: 'https://hooks.example.com/prism',
          enabledEvents: ['review.completed'],
        });
        expect(secret).toMatch(/^whsec_/);
        expect(endpoint).not.toHaveProperty('secret');
        expect(await prism.webhooks.get(endpoint.id)).toEqual(endpoint);
        const disabled = await prism.webhooks.update(endpoint.id, { status: 'disabled' });
        expect(disabled.status).toBe('disabled');
        const rotated = await prism.webhooks.rotateSecret(endpoint.id, { gracePeriodSeconds: 60 });
        expect(rotated.secret).not.toBe(secret);
        expect(rotated.previousSecretExpiresAt).not.toBeNull();
        expect(await prism.webhooks.listDeliveries(endpoint.id).toArray()).toEqual([]);
        await prism.webhooks.delete(endpoint.id);
        await expect(prism.webhooks.get(endpoint.id)).rejects.toBeInstanceOf(NotFoundError);
        await expect(prism.webhooks.create({ url: 'not a url' })).rejects.toBeInstanceOf(
          UnprocessableEntityError,
        );
      });

      it('signs and verifies deliveries the same way on every transport', () => {
        const payload = JSON.stringify({
          type: 'review.failed',
          timestamp: new Date().toISOString(),
          data: { review },
        });
        const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
        const headers = prism.webhooks.sign({
          id: 'msg_1',
          timestamp: new Date(),
          payload,
          secrets: secret,
        });
        expect(prism.webhooks.unwrap(payload, headers, secret)).toMatchObject({
          type: 'review.failed',
        });
        expect(() => prism.webhooks.verify(`${payload} `, headers, secret)).toThrow();
      });
    });

    describe('API keys, connections and watches', () => {
      it('creates a key whose secret is shown once, lists it by prefix and revokes it', async () => {
        const { apiKey, secret } = await prism.apiKeys.create({
          name: 'contract',
          role: 'analyst',
        });
        expect(secret).toMatch(/^prism_sk_/);
        expect(secret.startsWith(apiKey.prefix)).toBe(true);
        const listed = await prism.apiKeys.list().toArray();
        expect(listed.find((key) => key.id === apiKey.id)).toEqual(apiKey);
        expect(JSON.stringify(listed)).not.toContain(secret);
        const revoked = await prism.apiKeys.revoke(apiKey.id);
        expect(revoked.revokedAt).not.toBeNull();
      });

      it('answers unknown connections and watches with 404', async () => {
        expect((await prism.connections.list()).data).toEqual(expect.any(Array));
        await expect(prism.connections.get('con_missing')).rejects.toBeInstanceOf(NotFoundError);
        expect((await prism.watches.list()).data).toEqual(expect.any(Array));
        await expect(prism.watches.get('wat_missing')).rejects.toBeInstanceOf(NotFoundError);
      });
    });

    describe('audit log', () => {
      it('records every change in a hash chain that verifies', async () => {
        const events = await prism.audit.list().toArray();
        const actions = new Set(events.map((event) => event.action));
        for (const action of [
          'document.created',
          'review.created',
          'finding.accepted',
          'finding.rejected',
          'api_key.created',
        ]) {
          expect(actions).toContain(action);
        }
        expect(verifyAuditChain(events)).toBeUndefined();
        const rejections = await prism.audit.list({ action: 'finding.rejected' }).toArray();
        expect(rejections.every((event) => event.action === 'finding.rejected')).toBe(true);
      });
    });

    describe('paging', () => {
      it('refuses a page size outside 1-100 and a cursor it did not make', async () => {
        await expect(prism.reviews.list({ limit: 101 })).rejects.toBeInstanceOf(
          UnprocessableEntityError,
        );
        await expect(prism.reviews.list({ cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(
          BadRequestError,
        );
      });
    });
  });
}
