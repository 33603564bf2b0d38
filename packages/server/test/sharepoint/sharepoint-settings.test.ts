import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_SHAREPOINT_INTERVALS } from '../../src/sharepoint/sharepoint-auto-review.js';
import { sharePointSettingsOf } from '../../src/sharepoint/sharepoint-settings.js';

describe('PRISM_SHAREPOINT_* settings', () => {
  it('default to the intervals of SharePoint auto-review and Graph limits of the connector', () => {
    expect(sharePointSettingsOf(loadConfig({}))).toEqual({
      writeBackIntervalMs: DEFAULT_SHAREPOINT_INTERVALS.writeBackIntervalMs,
      renewalIntervalMs: DEFAULT_SHAREPOINT_INTERVALS.renewalIntervalMs,
      sweepIntervalMs: DEFAULT_SHAREPOINT_INTERVALS.sweepIntervalMs,
      graph: { requestsPerSecond: 10, concurrency: 4 },
    });
  });

  it('set the intervals in seconds, the subscription lifetime and the Graph pace', () => {
    const config = loadConfig({
      PRISM_SHAREPOINT_WRITE_BACK_SECONDS: '0.5',
      PRISM_SHAREPOINT_RENEWAL_SECONDS: '600',
      PRISM_SHAREPOINT_SWEEP_SECONDS: '120',
      PRISM_SHAREPOINT_SUBSCRIPTION_MINUTES: '1440',
      PRISM_SHAREPOINT_GRAPH_REQUESTS_PER_SECOND: '25',
      PRISM_SHAREPOINT_GRAPH_CONCURRENCY: '8',
    });
    expect(sharePointSettingsOf(config)).toEqual({
      writeBackIntervalMs: 500,
      renewalIntervalMs: 600_000,
      sweepIntervalMs: 120_000,
      subscriptionMinutes: 1440,
      graph: { requestsPerSecond: 25, concurrency: 8 },
    });
  });

  it('refuse values out of range in one line naming the setting', () => {
    expect(() => loadConfig({ PRISM_SHAREPOINT_SUBSCRIPTION_MINUTES: '50000' })).toThrow(
      /PRISM_SHAREPOINT_SUBSCRIPTION_MINUTES/,
    );
    expect(() => loadConfig({ PRISM_SHAREPOINT_WRITE_BACK_SECONDS: '0' })).toThrow(
      expect.objectContaining({ code: 'invalid_config' }),
    );
    expect(() => loadConfig({ PRISM_SHAREPOINT_GRAPH_CONCURRENCY: 'many' })).toThrow(
      /PRISM_SHAREPOINT_GRAPH_CONCURRENCY/,
    );
  });
});
