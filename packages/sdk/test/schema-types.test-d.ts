import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { components } from '../src/generated/openapi.js';
import type { componentSchemas } from '../src/index.js';

type Zod = typeof componentSchemas;
type Generated = components['schemas'];

/** `true` when A and B are the same type, else the pair, so a mismatch names both sides. */
type Same<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2
    ? true
    : { zod: A; openapi: B };

type Agreement = { [K in keyof Zod & keyof Generated]: Same<z.infer<Zod[K]>, Generated[K]> };

describe('zod inferred types equal the generated OpenAPI types', () => {
  it('covers the same component names', () => {
    expectTypeOf<keyof Zod>().toEqualTypeOf<keyof Generated>();
  });

  it('agrees on every component', () => {
    expectTypeOf<Agreement>().toEqualTypeOf<{ [K in keyof Agreement]: true }>();
  });
});
