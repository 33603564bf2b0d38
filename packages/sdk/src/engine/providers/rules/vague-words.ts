/**
 * The vague quantifiers and time words the `vague-quantifier` rule flags by default (the
 * framework names "some", "several" and "soon"). Matched whole-word and case-insensitively;
 * "some 40", "as soon as", "how many" and the like are not flagged.
 */
export const DEFAULT_VAGUE_WORDS: readonly string[] = [
  'some',
  'several',
  'soon',
  'many',
  'few',
  'a few',
  'quite a few',
  'multiple',
  'various',
  'numerous',
  'countless',
  'a number of',
  'a large number of',
  'a significant number of',
  'a lot of',
  'lots of',
  'plenty of',
  'a bunch of',
  'a handful of',
  'a couple of',
  'a while',
  'for some time',
  'some time',
  'sometime',
  'at some point',
  'shortly',
  'recently',
  'in the near future',
  'at a later date',
  'in due course',
  'as soon as possible',
  'asap',
];
