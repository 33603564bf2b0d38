import { PrismError } from '@prism/sdk';

/** What a `/prism` slash command asks for. */
export type ReviewCommand = { action: 'review'; url: string } | { action: 'help' };

/**
 * The usage lines of the `/prism` slash command, as shown to Slack users. Plain text without
 * `&`, `<` or `>`, so it can be posted to Slack as it is.
 */
export const SLASH_COMMAND_USAGE = [
  '/prism review LINK   review the document at a SharePoint, OneDrive or web link',
  '/prism help          show this help',
].join('\n');

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };
/** `<url>` or `<url|label>`: how Slack sends a link when the command escapes links. */
const SLACK_LINK = /^<([^|>]+)(?:\|[^>]*)?>$/;

/**
 * Parses the `text` field of a `/prism` slash command request, the part after the command name.
 *
 * The link may arrive bare (`https://...`) or in Slack's link markup (`<https://...>`, or
 * `<https://...|label>` when the user typed it without a scheme); Slack's HTML entities
 * (`&amp;`, `&lt;`, `&gt;`) are decoded. Empty text and `help` (whatever follows it) ask for
 * help. The command word is case-insensitive.
 *
 * @throws {PrismError} `unknown_command` for any other text, including `review` without exactly
 *   one http(s) link; its hint lists the usage.
 */
export function parseReviewCommand(text: string): ReviewCommand {
  const trimmed = text.trim();
  const [word = ''] = trimmed.split(/\s/, 1);
  const verb = word.toLowerCase();
  if (verb === '' || verb === 'help') return { action: 'help' };
  if (verb === 'review') {
    const url = linkOf(trimmed.slice(word.length).trim());
    if (url !== undefined) return { action: 'review', url };
    throw unknownCommand('`/prism review` needs exactly one http(s) link to a document.');
  }
  throw unknownCommand(`Unknown /prism command: '${decodeEntities(word)}'.`);
}

function linkOf(argument: string): string | undefined {
  if (argument === '') return undefined;
  const markup = SLACK_LINK.exec(argument);
  if (markup === null && /\s/.test(argument)) return undefined;
  const url = decodeEntities(markup?.[1] ?? argument);
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function decodeEntities(value: string): string {
  return value.replace(/&(?:amp|lt|gt);/g, (entity) => ENTITIES[entity] ?? entity);
}

function unknownCommand(message: string): PrismError {
  return new PrismError('unknown_command', message, { hint: `Usage:\n${SLASH_COMMAND_USAGE}` });
}
