import { createRequire } from 'node:module';
import AjvDraft4 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { toJsonExport } from '../../src/engine/export/json.js';
import { toMarkdown } from '../../src/engine/export/markdown.js';
import { toSarif } from '../../src/engine/export/sarif.js';
import { ReviewExportSchema } from '../../src/index.js';
import { report, sourceText } from './report-fixture.js';

const require = createRequire(import.meta.url);
const sarifSchema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
// The official schema is draft-04 and has a pattern that is only valid without the `u` flag.
const ajv = new AjvDraft4.default({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats.default(ajv);
const validateSarif = ajv.compile(sarifSchema);

describe('JSON export', () => {
  it('has the ReviewExport shape of the API', () => {
    const exported = toJsonExport(report);
    expect(ReviewExportSchema.parse(exported)).toEqual(exported);
    expect(exported.document).toEqual({
      id: 'doc_1',
      filename: 'outage.md',
      title: 'Outage',
      sha256: 'a'.repeat(64),
    });
    expect(exported.findings).toHaveLength(3);
  });
});

describe('Markdown export', () => {
  const markdown = toMarkdown(report);

  it('opens with the score, risk and counts', () => {
    expect(markdown).toMatch(/^# Review of Outage\n/);
    expect(markdown).toContain('- **Score**: 61/100, risk **high**');
    expect(markdown).toContain('- **Findings**: 3 (1 critical, 1 major, 1 minor, 0 info)');
  });

  it('groups findings by section in document order, with evidence and suggestion', () => {
    const order = ['## Whole document', '## Timeline', '## Actions'].map((h) =>
      markdown.indexOf(h),
    );
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(markdown).toContain('### CRITICAL: Action has no owner');
    expect(markdown).toContain('*Hawkeye #12 · action-without-owner · confidence 0.90*');
    expect(markdown).toContain('> Add a canary | TBD');
    expect(markdown).toContain('**Suggestion**: Give each entry a date, a time and the time zone.');
    expect(markdown).toContain('_Adjusted from major: Rejected in 9 of the last 10 decisions._');
  });

  it('says so when there is nothing to report', () => {
    expect(toMarkdown({ ...report, findings: [] })).toContain('No findings');
  });
});

describe('SARIF export', () => {
  const log = toSarif([{ report, uri: 'docs/outage.md', sourceText }], { toolVersion: '1.2.3' });

  it('is valid SARIF 2.1.0 (the official schema)', () => {
    const valid = validateSarif(log);
    expect(validateSarif.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(validateSarif({ version: '2.1.0', runs: [{ tool: {} }] })).toBe(false);
  });

  it('maps severities to levels and framework items to rules', () => {
    const [run] = log.runs;
    expect(run?.tool.driver.rules?.map((rule) => rule.id)).toEqual([
      'hawkeye-20/4',
      'hawkeye-20/12',
      'hawkeye-20/14',
    ]);
    expect(run?.results?.map((r) => [r.ruleId, r.level])).toEqual([
      ['hawkeye-20/4', 'error'],
      ['hawkeye-20/12', 'error'],
      ['hawkeye-20/14', 'warning'],
    ]);
  });

  it('points at the line and column of the quote in text sources', () => {
    const region = log.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.region;
    expect(region).toMatchObject({
      startLine: 5,
      startColumn: 3,
      snippet: { text: 'Pipeline pushed the change' },
    });
  });

  it('keeps one run with an artifact per document when several are reviewed', () => {
    const two = toSarif([{ report }, { report, uri: 'b.md' }]);
    expect(two.runs).toHaveLength(1);
    expect(two.runs[0]?.artifacts?.map((a) => a.location?.uri)).toEqual(['outage.md', 'b.md']);
    expect(
      two.runs[0]?.results?.at(-1)?.locations?.[0]?.physicalLocation?.artifactLocation?.index,
    ).toBe(1);
    expect(validateSarif(two)).toBe(true);
  });

  it('gives the same result the same fingerprint across runs', () => {
    const again = toSarif([{ report }]);
    expect(again.runs[0]?.results?.map((r) => r.partialFingerprints)).toEqual(
      log.runs[0]?.results?.map((r) => r.partialFingerprints),
    );
  });
});
