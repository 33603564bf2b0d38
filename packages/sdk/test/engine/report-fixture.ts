import type { ReviewReport } from '../../src/engine/report.js';
import type { Finding, Framework } from '../../src/index.js';

const framework: Framework = {
  id: 'hawkeye-20',
  version: '1.0.0',
  name: 'Hawkeye 20-point checklist',
  description: 'Investigation documents.',
  items: [
    {
      number: 4,
      key: 'timeline',
      title: 'Timeline',
      checks: 'Events with times.',
      defaultSeverity: 'major',
    },
    {
      number: 12,
      key: 'actions',
      title: 'Actions',
      checks: 'Owned actions.',
      defaultSeverity: 'critical',
    },
    {
      number: 14,
      key: 'lessons',
      title: 'Lessons learned',
      checks: 'Lessons.',
      defaultSeverity: 'major',
    },
  ],
  builtIn: true,
  createdAt: '2026-01-01T00:00:00Z',
};

function finding(overrides: Partial<Finding>): Finding {
  return {
    id: 'fnd_1',
    reviewId: 'rev_1',
    documentId: 'doc_1',
    sectionIndex: 0,
    frameworkItems: [{ number: 4, key: 'timeline' }],
    severity: 'major',
    category: 'timeline-missing-times',
    title: 'Timeline entries have no times',
    description: 'Entries carry no time or time zone.',
    suggestion: 'Give each entry a date, a time and the time zone.',
    quote: 'Pipeline pushed the change',
    confidence: 0.9,
    origin: 'rule',
    status: 'open',
    decision: null,
    adjustment: null,
    createdAt: '2026-03-15T09:12:47Z',
    updatedAt: '2026-03-15T09:12:47Z',
    ...overrides,
  };
}

/** The source text of the fixture document, as its `.md` file would hold it. */
export const sourceText =
  '# Outage\n\n## Timeline\n\n- Pipeline pushed the change\n- Errors rose\n\n## Actions\n\n| Action | Owner |\n|---|---|\n| Add a canary | TBD |\n';

/** A small finished review with three findings, one of them document-level. */
export const report: ReviewReport = {
  framework,
  document: {
    id: 'doc_1',
    tenantId: 'local',
    source: { kind: 'upload', ref: null, url: null, connectionId: null },
    filename: 'outage.md',
    mediaType: 'text/markdown',
    sizeBytes: sourceText.length,
    sha256: 'a'.repeat(64),
    title: 'Outage',
    sections: [
      {
        index: 0,
        heading: 'Timeline',
        level: 2,
        text: '- Pipeline pushed the change\n- Errors rose',
        anchors: [{ block: 2, page: null }],
      },
      {
        index: 1,
        heading: 'Actions',
        level: 2,
        text: 'Action | Owner\nAdd a canary | TBD',
        anchors: [{ block: 5, page: null }],
      },
    ],
    metadata: {},
    createdAt: '2026-03-15T09:12:44Z',
  },
  review: {
    id: 'rev_1',
    tenantId: 'local',
    documentId: 'doc_1',
    framework: { id: 'hawkeye-20', version: '1.0.0' },
    model: 'rules',
    status: 'succeeded',
    progress: { sectionsDone: 2, sectionsTotal: 2 },
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    summary: { score: 61, riskLevel: 'high', counts: { critical: 1, major: 1, minor: 1, info: 0 } },
    error: null,
    metadata: {},
    createdAt: '2026-03-15T09:12:45Z',
    startedAt: '2026-03-15T09:12:45Z',
    completedAt: '2026-03-15T09:12:46Z',
  },
  findings: [
    finding({}),
    finding({
      id: 'fnd_2',
      sectionIndex: 1,
      frameworkItems: [{ number: 12, key: 'actions' }],
      severity: 'critical',
      category: 'action-without-owner',
      title: 'Action has no owner',
      quote: 'Add a canary | TBD',
    }),
    finding({
      id: 'fnd_3',
      sectionIndex: null,
      frameworkItems: [{ number: 14, key: 'lessons' }],
      severity: 'minor',
      category: 'missing-item',
      title: 'No lessons learned',
      quote: null,
      adjustment: { originalSeverity: 'major', reason: 'Rejected in 9 of the last 10 decisions.' },
    }),
  ],
};
