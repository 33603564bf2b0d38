/**
 * Benchmark: Prism's .docx extraction against mammoth's extractRawText on the same large
 * generated document (200+ pages of headings, paragraphs, numbered and bulleted lists and
 * tables). Prints both medians and the ratio ours / mammoth (target <= 1.0).
 *
 *   pnpm bench bench/docx-extract.ts [--runs N]
 */
import mammoth from 'mammoth';
import { extractDocx } from '../packages/sdk/src/engine/extract/docx.js';
import { DEFAULT_EXTRACTION_LIMITS } from '../packages/sdk/src/engine/types.js';
import { largeDocx } from './large-document.js';
import { compare } from './measure.js';

const runsArgument = process.argv.indexOf('--runs');
const RUNS = runsArgument > 0 ? Number(process.argv[runsArgument + 1]) : 9;

const bytes = await largeDocx();
const ours = () => extractDocx(bytes, DEFAULT_EXTRACTION_LIMITS, performance.now() + 60_000);
const theirs = () => mammoth.extractRawText({ buffer: bytes });

const extracted = ours();
const words = extracted.blocks.reduce((sum, block) => sum + block.text.split(' ').length, 0);
console.log(
  `document: ${(bytes.length / 1024).toFixed(0)} KiB, ${extracted.blocks.length} blocks, ` +
    `${words} words (~${Math.round(words / 450)} pages at 450 words/page)`,
);
const [oursMedian = 0, theirMedian = 0] = await compare([ours, theirs], { runs: RUNS, warmUp: 3 });
console.log(`prism extractDocx:       median ${oursMedian.toFixed(1)} ms over ${RUNS} runs`);
console.log(`mammoth extractRawText:  median ${theirMedian.toFixed(1)} ms over ${RUNS} runs`);
console.log(`ratio prism / mammoth:   ${(oursMedian / theirMedian).toFixed(3)} (target <= 1.0)`);
