/**
 * Benchmark: a full offline review (extract, split, every rules check, score) of the large
 * generated document, against mammoth's extractRawText of the same bytes, in one run. Prints
 * the medians, the ratio, and the peak memory (max resident set size) of the process.
 *
 *   pnpm bench bench/full-review.ts [--runs N]
 */

import { reviewBytes } from '@prism/sdk';
import mammoth from 'mammoth';
import { largeDocx } from './large-document.js';
import { compare } from './measure.js';

const runsArgument = process.argv.indexOf('--runs');
const RUNS = runsArgument > 0 ? Number(process.argv[runsArgument + 1]) : 5;

const bytes = await largeDocx();
const baselineRss = process.resourceUsage().maxRSS;
const review = () => reviewBytes({ bytes, filename: 'large.docx' });
const extractOnly = () => mammoth.extractRawText({ buffer: bytes });

const report = await review();
console.log(
  `document: ${(bytes.length / 1024).toFixed(0)} KiB, ${report.document.sections.length} sections, ` +
    `${report.findings.length} findings, score ${report.review.summary?.score}`,
);
const [reviewMedian = 0, mammothMedian = 0] = await compare([review, extractOnly], {
  runs: RUNS,
  warmUp: 1,
});
const peakMiB = process.resourceUsage().maxRSS / 1024;
console.log(`prism full review:       median ${reviewMedian.toFixed(1)} ms over ${RUNS} runs`);
console.log(`mammoth extractRawText:  median ${mammothMedian.toFixed(1)} ms over ${RUNS} runs`);
console.log(`ratio review / mammoth:  ${(reviewMedian / mammothMedian).toFixed(3)}`);
console.log(
  `peak memory (max RSS):   ${peakMiB.toFixed(0)} MiB (${(baselineRss / 1024).toFixed(0)} MiB after generating the document)`,
);
