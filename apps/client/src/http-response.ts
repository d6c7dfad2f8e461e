// Reads a whole HTTP/1.1 response (the server closed the connection after it): status line,
// headers, and a body framed by Content-Length, chunked encoding, or the end of the stream.

/**
 * The status and body of a raw response, or undefined when it is cut short.
 *
 * @example
 * parseHttpResponse(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n"OK"')) // { status: 200, text: '"OK"' }
 */
export function parseHttpResponse(raw: Buffer): { status: number; text: string } | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (status === null) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.subarray(end + 4);
  if (/\bchunked\b/i.test(headers.get('transfer-encoding') ?? '')) {
    const decoded = dechunk(body);
    if (decoded === undefined) return undefined;
    body = decoded;
  } else if (headers.has('content-length')) {
    const length = Number(headers.get('content-length'));
    if (!Number.isInteger(length) || body.length < length) return undefined;
    body = body.subarray(0, length);
  }
  return { status: Number(status[1]), text: body.toString('utf8') };
}

function dechunk(body: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (Number.isNaN(size)) return undefined;
    if (size === 0) return Buffer.concat(parts);
    const start = lineEnd + 2;
    if (body.length < start + size) return undefined;
    parts.push(body.subarray(start, start + size));
    at = start + size + 2;
  }
}
