/**
 * The `data` of each event of a server-sent event stream (the WHATWG format): an event's `data:`
 * lines joined with line feeds, dispatched at the blank line that ends it. Chunks may split a line
 * or a UTF-8 character anywhere; lines end with CRLF, LF or CR; comments (`:` lines) and the other
 * fields (`event`, `id`, `retry`) are skipped. An event the stream ends in without its blank line
 * is dispatched too.
 */
export async function* serverSentData(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let data: string[] | undefined;
  for await (const line of linesOf(chunks)) {
    if (line === '') {
      if (data) yield data.join('\n');
      data = undefined;
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field !== 'data') continue;
    const value = colon < 0 ? '' : line.slice(colon + 1);
    data ??= [];
    data.push(value.startsWith(' ') ? value.slice(1) : value);
  }
  if (data) yield data.join('\n');
}

/** The lines of a UTF-8 text arriving in chunks, without their line breaks. */
async function* linesOf(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  // A line break of an event stream: CRLF, LF or CR (one expression per stream: it keeps state).
  const lineBreak = /\r\n|\r|\n/g;
  let pending = '';
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    let start = 0;
    lineBreak.lastIndex = 0;
    for (let found = lineBreak.exec(pending); found; found = lineBreak.exec(pending)) {
      // A CR that ends the chunk may be the first half of a CRLF: wait for the next chunk.
      if (found[0] === '\r' && found.index === pending.length - 1) break;
      yield pending.slice(start, found.index);
      start = found.index + found[0].length;
    }
    pending = pending.slice(start);
  }
  pending += decoder.decode();
  const rest = pending.split(lineBreak);
  if (rest.at(-1) === '') rest.pop();
  yield* rest;
}
