import { getBuiltInFramework } from '../../src/engine/frameworks/load.js';
import {
  createRulesProvider,
  type RulesProviderOptions,
} from '../../src/engine/providers/rules/index.js';
import type { ProviderFinding, ReviewableDocument } from '../../src/engine/types.js';
import type { Framework, Section } from '../../src/schema/index.js';

/** A document made of `[heading, text]` pairs (heading null for heading-free prose). */
export function documentOf(
  parts: [heading: string | null, text: string][],
  title: string | null = 'Incident review',
): ReviewableDocument {
  const sections: Section[] = parts.map(([heading, text], index) => ({
    index,
    heading,
    level: heading === null ? 0 : 2,
    text,
    anchors: [{ block: index, page: null }],
  }));
  return { title, sections };
}

/** Every finding of the `rules` provider on a document (document-level and per section). */
export async function review(
  document: ReviewableDocument,
  options: RulesProviderOptions = {},
  framework: Framework = getBuiltInFramework('hawkeye-20'),
): Promise<ProviderFinding[]> {
  const provider = createRulesProvider(options);
  const context = { framework, document };
  const findings = [...(await provider.reviewDocument(context)).findings];
  for (const section of document.sections) {
    findings.push(...(await provider.reviewSection(section, context)).findings);
  }
  return findings;
}

/** The section-level findings on one section given as `[heading, text]`, within a document of it alone. */
export async function reviewSection(
  heading: string | null,
  text: string,
  options: RulesProviderOptions = {},
): Promise<ProviderFinding[]> {
  const document = documentOf([[heading, text]]);
  const provider = createRulesProvider(options);
  const context = { framework: getBuiltInFramework('hawkeye-20'), document };
  const section = document.sections[0] as Section;
  return (await provider.reviewSection(section, context)).findings;
}

/** The categories of findings, sorted. */
export function categories(findings: ProviderFinding[]): string[] {
  return findings.map((finding) => finding.category).sort();
}

/** A complete, strong investigation document: every item present, nothing to flag. */
export const STRONG_PARTS: [string, string][] = [
  [
    'Summary',
    'On 4 May from 09:10 to 09:52 UTC the booking service rejected 3,140 requests after a certificate expired. The certificate was renewed at 09:50 and the service has been stable since.',
  ],
  [
    'Scope',
    'This review covers the booking service and its certificate renewal process; the unrelated search latency alert of the same day is excluded.',
  ],
  [
    'Background',
    'The booking service is reached through a load balancer that terminates TLS with a certificate renewed by a scheduled job every 60 days.',
  ],
  [
    'Timeline (UTC)',
    'Time | Event\n4 May 09:10 | Certificate expires; requests fail\n4 May 09:13 | Error-rate alert pages the on-call engineer\n4 May 09:50 | Certificate renewed by hand\n4 May 09:52 | Error rate back to normal',
  ],
  [
    'Detection',
    'The error-rate alert paged the on-call engineer at 09:13, 3 minutes after the first failure.',
  ],
  [
    'Impact',
    '3,140 booking requests failed over 42 minutes; 410 customers retried later and 96 did not.',
  ],
  [
    'Evidence',
    'Load balancer logs, the renewal job history, alert records and the incident chat transcript.',
  ],
  [
    'Root cause',
    'The renewal job had been failing silently for 3 weeks because its service account lost permission in a role clean-up, and no alert watches the job, so the certificate reached its expiry date. We confirmed this from the job history.',
  ],
  [
    'Contributing factors',
    '- Certificate expiry is not monitored independently of the renewal job.',
  ],
  [
    'Alternatives considered',
    'A load balancer fault was ruled out: other services on the same load balancer were unaffected.',
  ],
  [
    'Mitigation',
    'The on-call engineer renewed the certificate by hand at 09:50 UTC; errors stopped within 2 minutes.',
  ],
  [
    'Actions',
    'Action | Owner | Due | Priority\nAlert when the renewal job fails | Platform lead | 20 May | P1\nMonitor certificate expiry dates | Observability engineer | 31 May | P2',
  ],
  [
    'Verification',
    'The platform lead will expire a test certificate in staging on 3 June and report the alerts at the reliability review on 10 June.',
  ],
  [
    'Lessons learned',
    'Went well: the alert fired quickly. Went badly: a silent job failure went unnoticed for weeks. We were lucky the expiry fell on a weekday morning.',
  ],
  [
    'Residual risk',
    'Other scheduled jobs may fail silently; the likelihood of a repeat is low once job alerts exist.',
  ],
  [
    'Communication',
    'Customer support and the product director were informed at 09:20 UTC on 4 May; a status page notice ran until 10:00.',
  ],
  [
    'Compliance',
    'No personal data was exposed and no contractual service credit is owed under the 99.9% monthly target.',
  ],
];
