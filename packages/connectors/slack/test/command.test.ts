import { PrismError } from '@prism/sdk';
import { describe, expect, it } from 'vitest';
import { parseReviewCommand, SLASH_COMMAND_USAGE } from '../src/command.js';

const DOC = 'https://contoso.sharepoint.com/:w:/s/Legal/EbF3kQ?e=4fGh&download=1';
/** DOC as Slack writes it inside message text: `&` as `&amp;`. */
const ESCAPED = 'https://contoso.sharepoint.com/:w:/s/Legal/EbF3kQ?e=4fGh&amp;download=1';

/**
 * The form-encoded body Slack POSTs for a slash command, with the field values of the payload
 * example in Slack's slash command docs.
 */
function slashCommandBody(text: string): string {
  return new URLSearchParams({
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: 'T0001',
    team_domain: 'example',
    channel_id: 'C2147483705',
    channel_name: 'test',
    user_id: 'U2147483697',
    user_name: 'Steve',
    command: '/prism',
    text,
    response_url: 'https://hooks.slack.com/commands/1234/5678',
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
    api_app_id: 'A123456',
  }).toString();
}

function textOf(body: string): string {
  return new URLSearchParams(body).get('text') ?? '';
}

function errorOf(text: string): PrismError {
  try {
    parseReviewCommand(text);
  } catch (error) {
    if (error instanceof PrismError) return error;
    throw error;
  }
  throw new Error(`parseReviewCommand(${JSON.stringify(text)}) did not throw`);
}

describe('parseReviewCommand', () => {
  it.each([
    ['an escaped link', `<${ESCAPED}>`],
    ['an escaped link with a label', `<${ESCAPED}|${ESCAPED.slice('https://'.length)}>`],
    ['a bare link with entities', ESCAPED],
    ['a bare link', DOC],
  ])('reads a review request with %s', (_label, link) => {
    const body = slashCommandBody(`review ${link}`);
    expect(parseReviewCommand(textOf(body))).toEqual({ action: 'review', url: DOC });
  });

  it('tolerates extra spaces and a capitalised command word', () => {
    expect(parseReviewCommand(`  Review   <${ESCAPED}>  `)).toEqual({ action: 'review', url: DOC });
  });

  it.each(['', '   ', 'help', 'HELP', 'help review'])('answers %j with help', (text) => {
    expect(parseReviewCommand(textOf(slashCommandBody(text)))).toEqual({ action: 'help' });
  });

  it.each([
    ['an unknown command', 'summarise <https://example.com/a.docx>'],
    ['review without a link', 'review'],
    ['review with two links', 'review <https://example.com/a.docx> <https://example.com/b.docx>'],
    ['review with a mailto link', 'review <mailto:legal@contoso.com|legal@contoso.com>'],
    ['review with a user mention', 'review <@U2147483697|steve>'],
    ['review with words', 'review the contract please'],
  ])('rejects %s with unknown_command and the usage', (_label, text) => {
    const error = errorOf(text);
    expect(error.code).toBe('unknown_command');
    expect(error.hint).toContain(SLASH_COMMAND_USAGE);
  });

  it('names the unknown command in the message, decoded', () => {
    expect(errorOf('a&amp;b').message).toContain("'a&b'");
  });
});
