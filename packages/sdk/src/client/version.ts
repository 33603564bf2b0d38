import packageJson from '../../package.json' with { type: 'json' };

/** The version of this SDK, as published. */
export const SDK_VERSION: string = packageJson.version;

/** `prism-sdk/<version>` plus the runtime (`node/<version>`, or `js` where there is no Node). */
export function userAgent(): string {
  const node = typeof process === 'undefined' ? undefined : process.versions?.node;
  return `prism-sdk/${SDK_VERSION} ${node ? `node/${node}` : 'js'}`;
}
