export type { CliIo, CliStream } from './io.js';
export { main, USAGE } from './main.js';
