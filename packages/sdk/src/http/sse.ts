/** One server-sent event. */
export interface ServerSentEvent {
  /** The `event:` field; `message` when the event has none. */
  event: string;
  /** The `data:` lines, joined with line feeds. */
  data: string;
  /** The last `id:` seen in the stream so far (what `Last-Event-ID` resumes from). */
  id: string;
  /** The `retry:` reconnection time in milliseconds, when this event set one. */
  retry: number | undefined;
}

/**
 * Parses a `text/event-stream` body as the HTML standard defines it: lines end with CRLF, LF or
 * CR (also when a chunk ends between the CR and the LF); `field: value` lines set `event`,
 * `data` (several lines join with `\n`), `id` and `retry`; lines starting with `:` are comments;
 * a blank line dispatches the event (events without data are dropped). A leading BOM is skipped,
 * and an event the stream ends in the middle of is dropped.
 */
export async function* parseServerSentEvents(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<ServerSentEvent, void, undefined> {
  const decoder = new TextDecoder('utf-8');
  const state = new EventState();
  let buffer = '';
  let skippedBom = false;
  let afterCr = false;
  for await (const chunk of chunks) {
    buffer += decoder.decode(chunk, { stream: true });
    if (!skippedBom && buffer.length > 0) {
      if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
      skippedBom = true;
    }
    if (afterCr && buffer.startsWith('\n')) buffer = buffer.slice(1);
    afterCr = false;
    let start = 0;
    for (let index = 0; index < buffer.length; index += 1) {
      const char = buffer[index];
      if (char !== '\n' && char !== '\r') continue;
      const event = state.line(buffer.slice(start, index));
      if (event) yield event;
      if (char === '\r') {
        if (index + 1 === buffer.length) afterCr = true;
        else if (buffer[index + 1] === '\n') index += 1;
      }
      start = index + 1;
    }
    buffer = buffer.slice(start);
  }
}

/** The event being read, field by field. */
class EventState {
  #event = '';
  #data: string[] = [];
  #id = '';
  #retry: number | undefined;

  /** Takes one line; returns the event a blank line completes. */
  line(line: string): ServerSentEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.#event = value;
    else if (field === 'data') this.#data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.#retry = Number(value);
    return undefined;
  }

  #dispatch(): ServerSentEvent | undefined {
    const event: ServerSentEvent | undefined =
      this.#data.length === 0
        ? undefined
        : {
            event: this.#event || 'message',
            data: this.#data.join('\n'),
            id: this.#id,
            retry: this.#retry,
          };
    this.#event = '';
    this.#data = [];
    this.#retry = undefined;
    return event;
  }
}
