import type { WebhookEvent } from '@prism/sdk';

/**
 * One log line for a webhook event, e.g. `review.completed rev_1: score 82, 3 findings`. The
 * switch covers every type, so a new event type in `@prism/sdk` fails to compile here.
 */
export function describeEvent(event: WebhookEvent): string {
  switch (event.type) {
    case 'review.started':
      return `review.started ${event.data.review.id} (document ${event.data.review.documentId})`;
    case 'review.progress': {
      const { sectionsDone, sectionsTotal } = event.data.progress;
      return `review.progress ${event.data.reviewId}: ${sectionsDone}/${sectionsTotal} sections`;
    }
    case 'review.completed': {
      const { review, findings } = event.data;
      const score = review.summary?.score ?? 'none';
      const count = `${findings.length} finding${findings.length === 1 ? '' : 's'}`;
      return `review.completed ${review.id}: score ${score}, ${count}`;
    }
    case 'review.failed':
      return `review.failed ${event.data.review.id}: ${event.data.review.error?.code ?? 'unknown'}`;
    case 'finding.accepted':
    case 'finding.rejected': {
      const { finding } = event.data;
      return `${event.type} ${finding.id} (${finding.severity}): ${finding.title}`;
    }
    case 'document.ingested':
      return `document.ingested ${event.data.documentId}: ${event.data.filename}, ${event.data.sectionCount} sections`;
    case 'connection.created':
    case 'connection.revoked':
    case 'connection.needs_reauth':
    case 'connection.reauthorized': {
      const { connection } = event.data;
      return `${event.type} ${connection.id} (${connection.provider})`;
    }
  }
}
