import type { CallOptions, FrameworksApi, ListParams, PostOptions } from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import { FrameworkError } from '../engine/errors.js';
import { loadFramework } from '../engine/frameworks/load.js';
import { type Framework, type FrameworkCreate, FrameworkCreateSchema } from '../schema/index.js';
import type { LocalContext } from './context.js';
import { allRows, arrayPages } from './paging.js';
import { conflict, notFound, type Operation, problem } from './problems.js';
import { parseInput } from './validate.js';

/**
 * The framework `id` (newest version) or `id@version` of the built-in, configured and stored
 * frameworks; `undefined` when there is none.
 */
export async function findFramework(
  context: LocalContext,
  id: string,
  version?: string,
): Promise<Framework | undefined> {
  const candidates = [
    ...context.fixedFrameworks.filter((framework) => framework.id === id),
    ...(await allRows(context.store.frameworks, context.tenantId, { frameworkId: id })).map(
      (row) => row.framework,
    ),
  ].filter((framework) => version === undefined || framework.version === version);
  return candidates.sort((a, b) => compareVersions(b.version, a.version))[0];
}

/** `prism.frameworks` in-process: the built-in frameworks and the tenant's own. */
export class LocalFrameworks implements FrameworksApi {
  readonly #context: LocalContext;

  constructor(context: LocalContext) {
    this.#context = context;
  }

  list(params: ListParams = {}, _options?: CallOptions): PagePromise<Framework> {
    return arrayPages({ method: 'GET', path: '/v2/frameworks' }, params, async () => {
      const newest = new Map<string, Framework>();
      const stored = await allRows(this.#context.store.frameworks, this.#context.tenantId, {});
      for (const framework of [
        ...this.#context.fixedFrameworks,
        ...stored.map((row) => row.framework),
      ]) {
        const known = newest.get(framework.id);
        if (!known || compareVersions(framework.version, known.version) > 0) {
          newest.set(framework.id, framework);
        }
      }
      return [...newest.values()];
    });
  }

  async get(
    frameworkId: string,
    params: { version?: string } = {},
    _options?: CallOptions,
  ): Promise<Framework> {
    const framework = await findFramework(this.#context, frameworkId, params.version);
    if (framework) return framework;
    const operation: Operation = { method: 'GET', path: `/v2/frameworks/${frameworkId}` };
    throw notFound(
      operation,
      'framework',
      params.version === undefined ? frameworkId : `${frameworkId}@${params.version}`,
    );
  }

  async create(params: FrameworkCreate, _options?: PostOptions): Promise<Framework> {
    const operation: Operation = { method: 'POST', path: '/v2/frameworks' };
    const input = parseInput(operation, FrameworkCreateSchema, params);
    if (this.#context.fixedFrameworks.some((framework) => framework.id === input.id)) {
      throw conflict(
        operation,
        'framework_built_in',
        `${input.id} is a built-in framework; its versions come with Prism.`,
        'Give your framework an id of its own, e.g. my-team-checklist.',
      );
    }
    if (await findFramework(this.#context, input.id, input.version)) {
      throw conflict(
        operation,
        'framework_version_exists',
        `Framework ${input.id}@${input.version} already exists.`,
        'Versions are immutable: create the next version (e.g. raise the patch number).',
      );
    }
    let framework: Framework;
    try {
      framework = loadFramework({
        ...input,
        description: input.description ?? '',
        builtIn: false,
        createdAt: this.#context.timestamp(),
      });
    } catch (error) {
      if (!(error instanceof FrameworkError)) throw error;
      throw problem(operation, 422, 'validation_failed', error.message, error.hint);
    }
    const id = `${framework.id}@${framework.version}`;
    await this.#context.store.frameworks.insert({
      // Row ids are unique across tenants; tenants name their frameworks freely.
      id: `${this.#context.tenantId}:${id}`,
      tenantId: this.#context.tenantId,
      frameworkId: framework.id,
      framework,
    });
    await this.#context.audit('framework.created', { type: 'framework', id });
    return framework;
  }
}

/** Compares `1.10.0` and `1.9.2` as versions (numerically, part by part). */
function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
