import { describe, expect, it } from 'vitest';
import { parseServerSentEvents, type ServerSentEvent } from '../../src/http/sse.js';

const encoder = new TextEncoder();

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? encoder.encode(part) : part;
}

async function parse(...parts: (string | Uint8Array)[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of parseServerSentEvents(chunks(...parts))) events.push(event);
  return events;
}

describe('parseServerSentEvents', () => {
  it('reads event, data and id fields, dispatching on a blank line', async () => {
    expect(await parse('event: progress\ndata: {"a":1}\nid: 7\n\n')).toEqual([
      { event: 'progress', data: '{"a":1}', id: '7', retry: undefined },
    ]);
  });

  it('joins multi-line data with line feeds and defaults the event to message', async () => {
    expect(await parse('data: first\ndata:second\ndata\n\n')).toEqual([
      { event: 'message', data: 'first\nsecond\n', id: '', retry: undefined },
    ]);
  });

  it('handles chunk boundaries in the middle of lines, fields and UTF-8 characters', async () => {
    const euro = encoder.encode('€');
    const events = await parse(
      'eve',
      'nt: fin',
      'ding\nda',
      'ta: pri',
      euro.slice(0, 1),
      euro.slice(1),
      '\n',
      '\n',
    );
    expect(events).toEqual([{ event: 'finding', data: 'pri€', id: '', retry: undefined }]);
  });

  it('accepts CRLF and CR line ends, also when a chunk ends between CR and LF', async () => {
    const events = await parse('data: one\r', '\n\r', '\ndata: two\r\rdata: three\r\n\r\n');
    expect(events.map((event) => event.data)).toEqual(['one', 'two', 'three']);
  });

  it('skips comments, a leading BOM and events without data, and keeps the last id', async () => {
    const events = await parse(
      '\uFEFF: keep-alive\n\n',
      'id: 1\nevent: ping\n\n',
      'data: x\nretry: 3000\n\n',
      'data: y\n\n',
    );
    expect(events).toEqual([
      { event: 'message', data: 'x', id: '1', retry: 3000 },
      { event: 'message', data: 'y', id: '1', retry: undefined },
    ]);
  });

  it('drops an event the stream ends in the middle of', async () => {
    expect(await parse('data: done\n\ndata: cut off')).toHaveLength(1);
  });
});
