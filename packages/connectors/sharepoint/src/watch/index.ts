export { clientStatesMatch, createClientState, MAX_CLIENT_STATE_LENGTH } from './client-state.js';
export {
  DEFAULT_DELTA_MAX_PAGES,
  DELTA_SELECT,
  type DeltaOutcome,
  fullDeltaLink,
  initialDeltaLink,
  type RunDeltaOptions,
  runDelta,
} from './delta.js';
export {
  type DeltaChange,
  type DeltaDeletion,
  type DeltaFileChange,
  latestPerItem,
  toDeltaChange,
} from './delta-change.js';
export {
  classifyNotification,
  type LifecycleEvent,
  type NotificationClass,
  parseNotifications,
  type ReceivedNotification,
  type RejectionReason,
  verifyClientState,
} from './notifications.js';
export { inWatchedScope, needsParentPath, type WatchScope } from './scope.js';
export {
  type CreateSubscriptionOptions,
  createSubscription,
  DEFAULT_SUBSCRIPTION_MINUTES,
  DRIVE_SUBSCRIPTION_MAX_MINUTES,
  type DriveSubscription,
  deleteSubscription,
  driveRootResource,
  type NotificationTlsVersion,
  renewalDue,
  renewSubscription,
} from './subscriptions.js';
export { type NotificationQuery, type ValidationAnswer, validationResponse } from './validation.js';
export {
  contentVersionKey,
  MemorySeenVersions,
  type NewVersion,
  newVersions,
  type SeenVersions,
  unversionedFiles,
} from './versions.js';
export { WatchError } from './watch-error.js';
