import { describe, expect, it } from 'vitest';
import { serverSentData } from '../../../src/engine/providers/openai-compatible/sse.js';

async function dataOf(pieces: Array<string | Uint8Array>): Promise<string[]> {
  const encoder = new TextEncoder();
  async function* chunks() {
    for (const piece of pieces) yield typeof piece === 'string' ? encoder.encode(piece) : piece;
  }
  const data: string[] = [];
  for await (const item of serverSentData(chunks())) data.push(item);
  return data;
}

describe('serverSentData', () => {
  it('joins lines split across chunks, whatever the split', async () => {
    const text = 'data: {"a":1}\n\ndata: {"b":2}\n\ndata: [DONE]\n\n';
    for (let size = 1; size <= text.length; size += 1) {
      const pieces: string[] = [];
      for (let start = 0; start < text.length; start += size)
        pieces.push(text.slice(start, start + size));
      expect(await dataOf(pieces)).toEqual(['{"a":1}', '{"b":2}', '[DONE]']);
    }
  });

  it('reads CRLF and CR line breaks, also a CRLF split between two chunks', async () => {
    expect(await dataOf(['data: one\r', '\n\r', '\ndata: two\r\rdata: three\r\n\r\n'])).toEqual([
      'one',
      'two',
      'three',
    ]);
  });

  it('keeps a UTF-8 character split between two chunks whole', async () => {
    const bytes = new TextEncoder().encode('data: 14:05 — ok\n\n');
    const cut = bytes.indexOf(0xe2) + 1;
    expect(await dataOf([bytes.slice(0, cut), bytes.slice(cut)])).toEqual(['14:05 — ok']);
  });

  it('skips comments and other fields, and joins the data lines of one event', async () => {
    const stream =
      ': keep-alive\n\nevent: message\nid: 7\nretry: 1000\ndata: first\ndata:second\n\n';
    expect(await dataOf([stream])).toEqual(['first\nsecond']);
  });

  it('dispatches an event the stream ends in without its blank line', async () => {
    expect(await dataOf(['data: {"a":1}\n\ndata: [DONE]'])).toEqual(['{"a":1}', '[DONE]']);
  });
});
