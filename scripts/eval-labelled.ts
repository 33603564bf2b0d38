/**
 * Measures a review provider against labelled investigation documents.
 *
 *   pnpm eval:labelled [--model <spec>] [--concurrency <n>] [--dir <folder with labels.json>] [--extra]
 *
 * `--model` takes any spec `resolveModel` accepts: `rules` (the default, offline),
 * `bedrock[:<model-id>]`, `openai-compatible:<model>`, or several separated by commas (tried in
 * order). Reads `labels.json` (each `.md` name -> the Hawkeye item keys it violates), reviews
 * every document through the orchestrator as `.md` and, when one sits beside it, as `.docx`, and
 * counts an item as flagged when a finding of severity minor or above cites it. For each format
 * prints precision and recall over (document, item) pairs, overall and per Hawkeye item, the
 * tokens used and their estimated cost, the degraded reviews and why, then every false positive
 * and false negative. `--concurrency` caps the provider calls in flight within a review
 * (default 4). `--extra` also reports the documents written for the SDK's tests.
 *
 * Exits 1 when, in any format of the labelled folder, precision < 0.85 or recall < 0.80 (the
 * `rules` provider's thresholds, applied to every model), and 2 with one line naming the error's
 * code and hint when the evaluation cannot run (e.g. no credentials for the model).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveModel } from '../packages/sdk/src/engine/providers/resolve-model.js';
import {
  type EvaluationOptions,
  evaluateFolder,
  type FormatEvaluation,
  meetsThresholds,
  totalSpending,
} from '../packages/sdk/test/engine/labelled-evaluation.js';
import {
  describeFailure,
  formatEvaluation,
  formatSpending,
  formatVerdict,
} from '../packages/sdk/test/engine/labelled-report.js';
import { EXTRA_DOCUMENTS } from '../packages/sdk/test/engine/rules-quality.js';

function print(lines: readonly string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'rules' },
      concurrency: { type: 'string', default: '4' },
      dir: {
        type: 'string',
        default: resolve(import.meta.dirname, '../../shared/corpus/labelled'),
      },
      extra: { type: 'boolean', default: false },
    },
  });
  const { provider } = resolveModel(values.model);
  const options: EvaluationOptions = { provider, concurrency: Number(values.concurrency) };
  print([`Model ${values.model} (provider ${provider.id}), concurrency ${values.concurrency}`]);

  const evaluations: FormatEvaluation[] = [];
  let passed = true;
  for (const format of ['md', 'docx'] as const) {
    const evaluation = await evaluateFolder(values.dir, format, options);
    if (evaluation === null) continue;
    evaluations.push(evaluation);
    print(formatEvaluation(`Labelled set, .${format} (${values.dir})`, evaluation));
    if (!meetsThresholds(evaluation.quality)) passed = false;
  }
  if (values.extra) {
    const evaluation = await evaluateFolder(EXTRA_DOCUMENTS, 'md', options);
    if (evaluation !== null) {
      evaluations.push(evaluation);
      print(formatEvaluation(`Extra documents, .md (${EXTRA_DOCUMENTS})`, evaluation));
    }
  }
  const reviews = evaluations.reduce((total, evaluation) => total + evaluation.documents, 0);
  const degraded = evaluations.reduce((total, evaluation) => total + evaluation.degraded.length, 0);
  print([
    '',
    `All ${reviews} reviews: ${formatSpending(totalSpending(evaluations))}; degraded ${degraded}`,
    formatVerdict(passed, provider.id),
  ]);
  return passed ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  process.stderr.write(`eval:labelled failed: ${describeFailure(error)}\n`);
  process.exitCode = 2;
}
