import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mammoth from 'mammoth';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { REVIEW_USAGE } from '../src/commands/review.js';
import { main } from '../src/main.js';
import { runCli } from './run-cli.js';

const samples = resolve(import.meta.dirname, '../../../examples/documents');
const strong = join(samples, 'cold-chain-excursion.md');
const flawed = join(samples, 'phishing-account-takeover.md');
const flawedDocx = join(samples, 'phishing-account-takeover.docx');
const work = mkdtempSync(join(tmpdir(), 'prism-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const path = join(work, name);
  writeFileSync(path, content);
  return path;
}

/** A document with nearly nothing in it: every required item is missing. */
const thin = write('thin.md', '# Note\n\nThe server was restarted and TBD will follow up.\n');

interface MammothNode {
  type: string;
  value?: string;
  children?: MammothNode[];
}

function plainText(node: MammothNode): string {
  return node.type === 'text' ? (node.value ?? '') : (node.children ?? []).map(plainText).join('');
}

/** The comments mammoth (an independent .docx reader) finds in a document. */
async function commentsSeenByMammoth(buffer: Buffer) {
  const comments: { author: string | null; text: string }[] = [];
  await mammoth.convertToHtml(
    { buffer },
    {
      styleMap: ['comment-reference => sup'],
      transformDocument: (document) => {
        for (const comment of document.comments) {
          comments.push({
            author: comment.authorName,
            text: comment.body.map(plainText).join('\n'),
          });
        }
        return document;
      },
    },
  );
  return comments;
}

describe('prism review', () => {
  it('prints the terminal report grouped by section, with score and suggestions', async () => {
    const { code, stdout, stderr } = await runCli('review', flawed);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/score \d+\/100 · risk (low|medium|high|critical)/);
    expect(stdout).toMatch(/^ {2}Timeline$/m);
    expect(stdout).toContain('→ ');
    expect(stdout).not.toContain('\x1b[');
  });

  it('colours severities and draws a progress bar when writing to a terminal', async () => {
    vi.stubEnv('NO_COLOR', '');
    let stdout = '';
    let stderr = '';
    const code = await main(['review', flawed, strong], {
      stdout: { write: (text: string) => (stdout += text), isTTY: true },
      stderr: { write: (text: string) => (stderr += text), isTTY: true, columns: 100 },
    });
    expect(code).toBe(0);
    expect(stdout).toContain('\x1b[33mminor');
    expect(stderr).toMatch(/\[2\/2\] .*cold-chain-excursion\.md █+ \d+\/\d+/);
    expect(stderr.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('prints JSON with reviews and patterns for --format json', async () => {
    const { code, stdout } = await runCli('review', strong, flawed, '--format', 'json');
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(Object.keys(output)).toEqual(['reviews', 'patterns']);
    expect(output.reviews).toHaveLength(2);
    const [first] = output.reviews;
    expect(Object.keys(first)).toEqual(['document', 'framework', 'summary', 'findings']);
    expect(first.document).toMatchObject({ filename: 'cold-chain-excursion.md', path: strong });
    expect(first.framework).toEqual({ id: 'hawkeye-20', version: '1.0.0' });
    expect(first.summary.score).toBeGreaterThanOrEqual(0);
    expect(Array.isArray(output.patterns)).toBe(true);
  });

  it('gives the same JSON on a rerun of the same files', async () => {
    const once = await runCli('review', flawed, '--format', 'json');
    const twice = await runCli('review', flawed, '--format', 'json');
    const strip = (text: string) =>
      text.replace(/"(createdAt|updatedAt|startedAt|completedAt)": "[^"]+"/g, '');
    expect(strip(twice.stdout)).toBe(strip(once.stdout));
  });

  it('exits 1 with --fail-on when a finding at or above the severity exists, else 0', async () => {
    expect((await runCli('review', thin, '--fail-on', 'critical', '--format', 'json')).code).toBe(
      1,
    );
    expect((await runCli('review', strong, '--fail-on', 'critical', '--format', 'json')).code).toBe(
      0,
    );
  });

  it('writes the report to --out and Markdown for --format markdown', async () => {
    const out = join(work, 'report.md');
    const { code, stdout } = await runCli('review', flawed, '--format', 'markdown', '--out', out);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^# Review of /);
  });

  it('writes SARIF that points into the Markdown source', async () => {
    const { stdout } = await runCli('review', flawed, '--format', 'sarif');
    const log = JSON.parse(stdout);
    expect(log.version).toBe('2.1.0');
    const lines = log.runs[0].results.map(
      (result: { locations: { physicalLocation: { region: { startLine: number } } }[] }) =>
        result.locations[0]?.physicalLocation.region.startLine,
    );
    expect(lines.some((line: number) => line > 1)).toBe(true);
  });

  it('writes a reviewed .docx copy whose Word comments an independent reader finds', async () => {
    const dir = join(work, 'reviewed');
    const { code, stderr } = await runCli(
      'review',
      flawedDocx,
      '--docx-out',
      dir,
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const copy = join(dir, 'phishing-account-takeover.reviewed.docx');
    expect(stderr).toContain(`wrote ${copy}`);
    const comments = await commentsSeenByMammoth(readFileSync(copy));
    const { stdout } = await runCli('review', flawedDocx, '--format', 'json');
    const findings = JSON.parse(stdout).reviews[0].findings as { title: string }[];
    expect(comments).toHaveLength(findings.length);
    expect(comments.every((comment) => comment.author === 'Prism')).toBe(true);
    for (const finding of findings) {
      expect(comments.some((comment) => comment.text.includes(finding.title))).toBe(true);
    }
    expect(comments.every((comment) => /Hawkeye #\d+/.test(comment.text))).toBe(true);
  });

  it('expands globs', async () => {
    const { code, stdout } = await runCli('review', join(samples, '*.md'), '--format', 'json');
    expect(code).toBe(0);
    const files = JSON.parse(stdout).reviews.map(
      (r: { document: { filename: string } }) => r.document.filename,
    );
    expect(files).toContain('payroll-overpayment.md');
  });

  it('reports an unreadable file with its code and hint, reviews the rest, and exits 1', async () => {
    const broken = write('broken.docx', 'not a zip at all');
    const { code, stdout, stderr } = await runCli('review', broken, flawed, '--format', 'json');
    expect(code).toBe(1);
    expect(stderr).toMatch(/broken\.docx: .+ \[document_corrupt\]\n {2}hint: /);
    expect(JSON.parse(stdout).reviews).toHaveLength(1);
  });

  it('names the field of a bad framework file', async () => {
    const bad = write(
      'framework.json',
      JSON.stringify({ id: 'x', version: '1.0.0', name: 'X', items: [] }),
    );
    const { code, stderr } = await runCli('review', flawed, '--framework', bad);
    expect(code).toBe(1);
    expect(stderr).toMatch(/items/);
    expect(stderr).toMatch(/\[invalid_framework\]/);
  });

  it.each([
    [['review'], 'no files given'],
    [['review', join(work, 'missing.md')], `no such file '${join(work, 'missing.md')}'`],
    [['review', join(work, 'none-*.md')], `no files match '${join(work, 'none-*.md')}'`],
    [['review', flawed, '--format', 'pdf'], '--format must be one of table, json, markdown, sarif'],
    [
      ['review', flawed, '--fail-on', 'bad'],
      '--fail-on must be one of critical, major, minor, info',
    ],
    [['review', flawed, '--concurrency', '0'], '--concurrency must be a whole number from 1 to 64'],
    [
      ['review', flawed, '--model', 'gemini:pro'],
      '--model: The model "gemini:pro" names "gemini".',
    ],
    [['review', flawed, '--max-tokens', '0'], '--max-tokens must be a whole number >= 1'],
    [['review', flawed, '--colour'], "unknown option '--colour'"],
    [['review', flawed, '--out'], "option '--out' needs a value"],
  ])('exits 2 with the usage for %j', async (argv, message) => {
    const { code, stdout, stderr } = await runCli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`prism: ${message}\n\n${REVIEW_USAGE}`);
  });
});
