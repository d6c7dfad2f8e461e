import { describe, expect, it } from '@jest/globals';
import { parseHttpResponse } from './http-response.js';

const raw = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('parseHttpResponse', () => {
  it('reads a body framed by Content-Length', () => {
    expect(parseHttpResponse(raw('HTTP/1.1 404 Not Found\r\ncontent-length: 12\r\n\r\n"Not leader"'))).toEqual({
      status: 404,
      text: '"Not leader"',
    });
  });

  it('reads a chunked body', () => {
    expect(
      parseHttpResponse(
        raw('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n[1,\r\n2;x=y\r\n2]\r\n0\r\n\r\n'),
      ),
    ).toEqual({ status: 200, text: '[1,2]' });
  });

  it('reads to the end of the stream without framing, and UTF-8 across chunks', () => {
    expect(parseHttpResponse(raw('HTTP/1.0 200 OK\r\n\r\n"ünï"'))).toEqual({ status: 200, text: '"ünï"' });
  });

  it('refuses an answer cut short', () => {
    expect(parseHttpResponse(raw('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"OK"'))).toBeUndefined();
    expect(parseHttpResponse(raw('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab'))).toBeUndefined();
    expect(parseHttpResponse(raw('HTTP/1.1 200 OK\r\nContent-'))).toBeUndefined();
    expect(parseHttpResponse(raw('garbage\r\n\r\n'))).toBeUndefined();
  });
});
