import { randomBytes } from 'node:crypto';

// One helper for the test Redis in the workspace, kept with the SDK's tests (the server's depend on the SDK's, not the reverse).
export {
  connectTestRedis,
  deleteKeysUnder,
  keysUnder,
} from '../../../sdk/test/engine/router/test-redis.js';

/** A key prefix no other test run uses: `prism-test:rate-limit:<random>:`. */
export function uniqueKeyPrefix(): string {
  return `prism-test:rate-limit:${randomBytes(6).toString('hex')}:`;
}
