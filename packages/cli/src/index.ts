export { type CliIo, main, USAGE } from './main.js';
