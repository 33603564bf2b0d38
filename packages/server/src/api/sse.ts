import { Readable } from 'node:stream';

/** One server-sent event: its type and JSON data, numbered from 1. */
function message(id: number, type: string, data: unknown): string {
  return `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * A `text/event-stream` body of `events`, each sent as it comes with `event:` its `type` and
 * `data:` its JSON. When the client goes away the stream is destroyed and `events` is returned
 * from, so whatever it listens to is released.
 */
export function eventStream(events: AsyncIterable<{ type: string }>): Readable {
  return Readable.from(
    (async function* () {
      let id = 0;
      for await (const event of events) {
        id += 1;
        yield message(id, event.type, event);
      }
    })(),
  );
}
