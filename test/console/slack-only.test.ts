import { describe, expect, it } from 'vitest';
import { slackOnlyAnswer } from '../../src/console/slack-only.ts';

describe('slackOnlyAnswer', () => {
  it('explains that exports and digests live in Slack, and leaves reports and timelines alone', () => {
    expect(slackOnlyAnswer('export yesterday')).toContain('Slack DM');
    expect(slackOnlyAnswer('digest list')).toContain('managed in Slack only');
    expect(slackOnlyAnswer('yesterday source:workflow')).toBeUndefined();
    expect(slackOnlyAnswer('conversation:88231')).toBeUndefined();
  });
});
