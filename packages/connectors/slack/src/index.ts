export { parseReviewCommand, type ReviewCommand, SLASH_COMMAND_USAGE } from './command.js';
