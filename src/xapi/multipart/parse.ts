import { badRequest } from '../../errors';

/** One body part of a multipart message: header names lower-cased, body bytes exactly as sent. */
export interface MultipartPart {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

const CRLF = Buffer.from('\r\n');

/**
 * The boundary parameter of a multipart Content-Type (quoted or not), or undefined when absent.
 * RFC 2046 allows quotes, and clients do send them.
 */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = m ? (m[1] ?? m[2]) : undefined;
  return b && b.length <= 200 ? b : undefined;
}

/**
 * Parses a multipart body byte-accurately (RFC 2046): a delimiter is CRLF + "--" + boundary
 * (the first one may start the body), the preamble and epilogue are ignored, transport padding
 * after a delimiter is skipped, and a part's body ends right before the CRLF of the next
 * delimiter. Bare-LF line ends are tolerated in part headers only. Throws 400 on any malformation.
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const dash = Buffer.from(`--${boundary}`);
  const delim = Buffer.from(`\r\n--${boundary}`);
  let pos: number;
  if (body.subarray(0, dash.length).equals(dash)) {
    pos = dash.length;
  } else {
    const first = body.indexOf(delim);
    if (first < 0) throw badRequest(`multipart body: no boundary "${boundary}" found`);
    pos = first + delim.length;
  }
  const parts: MultipartPart[] = [];
  for (;;) {
    // After a delimiter: "--" closes, otherwise optional whitespace then CRLF opens a part.
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts;
    while (body[pos] === 0x20 || body[pos] === 0x09) pos += 1;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    else if (body[pos] === 0x0a) pos += 1;
    else throw badRequest('multipart body: a boundary line is not followed by a line break');

    const next = body.indexOf(delim, pos);
    if (next < 0) throw badRequest(`multipart body: missing closing boundary "--${boundary}--"`);
    parts.push(parsePart(body.subarray(pos, next)));
    pos = next + delim.length;
  }
}

function parsePart(raw: Buffer): MultipartPart {
  let headerEnd = raw.indexOf('\r\n\r\n');
  let sepLen = 4;
  if (raw.subarray(0, 2).equals(CRLF)) {
    headerEnd = 0;
    sepLen = 2;
  } else if (headerEnd < 0) {
    headerEnd = raw.indexOf('\n\n');
    sepLen = 2;
    if (headerEnd < 0) throw badRequest('multipart body: a part has no blank line after its headers');
  }
  const headers: Record<string, string> = {};
  const text = raw.subarray(0, headerEnd).toString('latin1');
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw badRequest(`multipart body: malformed part header "${line.slice(0, 80)}"`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: raw.subarray(headerEnd + sepLen) };
}
