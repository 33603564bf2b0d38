import type { PrismApi, ReviewFileOptions, UploadSource } from './api/types.js';
import type { ReviewReport } from './engine/report.js';

/**
 * Uploads a file, reviews it and waits for the review, on any transport: the document, the
 * finished review, all its findings and the framework. When `signal` aborts while the review
 * runs, the review is canceled too. `prism.reviewFile` is this for a path or bytes; connectors
 * use it for content they fetched.
 *
 * @throws {ReviewFailedError} when the review fails or is canceled.
 */
export async function reviewFileWith(
  prism: PrismApi,
  file: UploadSource,
  options: ReviewFileOptions = {},
): Promise<ReviewReport> {
  const { signal, onProgress } = options;
  const call = signal === undefined ? {} : { signal };
  const document = await prism.documents.create(
    {
      file,
      ...(options.filename === undefined ? {} : { filename: options.filename }),
      ...(options.title === undefined ? {} : { title: options.title }),
      ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
    },
    call,
  );
  const handle = await prism.reviews.create(
    {
      documentId: document.id,
      ...(options.framework === undefined ? {} : { framework: options.framework }),
      ...(options.model === undefined ? {} : { model: options.model }),
    },
    call,
  );
  if (onProgress) handle.on('progress', onProgress);
  const cancel = () => {
    prism.reviews.cancel(handle.id).catch(() => {});
  };
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    const review = await handle.done(call);
    const findings = await prism.findings.list(review.id, { limit: 100 }, call).toArray();
    const framework = await prism.frameworks.get(
      review.framework.id,
      { version: review.framework.version },
      call,
    );
    return { document, review, findings, framework };
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}
