// Decoding an HDR histogram (hdr-histogram-js's V2 compressed base64) read from a file someone else may
// have written, with its cost bounded before it is paid. hdr-histogram-js's own decoder trusts the file:
// it inflates without a size limit (a 1.4 MB string took 2.2 GB), loops over whatever payload length the
// header declares, reading past the end (372 characters took 100 s of CPU), and builds counts for any
// precision and range. Here every one of those is checked first: the encoded length, the inflated size
// (zlib's maxOutputLength), the header (precision at most what the tool writes, range within 2^53), the
// payload within what was inflated, and each count landing inside the counts array; and a budget shared
// by every histogram of one file bounds the work of all of them together.
import { inflateSync } from 'node:zlib';
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

/** Characters of one encoded histogram: the tool writes a few hundred at most (a full one is about 3 KB). */
export const HISTOGRAM_CHARS_MAX = 256 * 1024;
/** Bytes one histogram may inflate to: its header and at most 9 bytes a bucket of the widest range. */
const INFLATED_BYTES_MAX = 512 * 1024;
/** What the tool records with: 3 significant digits. Finer ones grow the counts tenfold a digit. */
const DIGITS_MAX = 3;
const HEADER_BYTES = 40;
const COMPRESSED_COOKIE_BASE = 0x1c849304;
const COOKIE_BASE = 0x1c849303;

/**
 * The work every histogram of one file may cost together, in cells: each histogram's counts (allocated
 * and walked) plus the bytes it inflated to. 2^31 is about 90,000 histograms of the tool's own range,
 * two seconds of decoding; a result the tool writes holds a few thousand at most.
 */
export const DECODE_BUDGET_CELLS = 2 ** 31;

export interface DecodeBudget {
  /** Cells still allowed; decoding refuses once none are left. */
  remaining: number;
}

export function decodeBudget(cells = DECODE_BUDGET_CELLS): DecodeBudget {
  return { remaining: cells };
}

/** A histogram that cannot be decoded, or would cost more than it may; the message says which. */
export class HistogramDecodeError extends Error {}

const fail = (message: string): never => {
  throw new HistogramDecodeError(message);
};

/** The histogram `encoded` holds, or a HistogramDecodeError; its cost is taken from `budget` when given. */
export function decodeBoundedHistogram(encoded: string, budget?: DecodeBudget): Histogram {
  if (budget !== undefined && budget.remaining <= 0)
    fail(`the file's histograms together cost more than ${DECODE_BUDGET_CELLS} cells to decode (more than the tool ever writes)`);
  if (encoded.length > HISTOGRAM_CHARS_MAX) fail(`expected at most ${HISTOGRAM_CHARS_MAX} characters, got ${encoded.length}`);
  const text = encoded.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) fail('expected base64');
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length < 8 || (bytes.readInt32BE(0) & ~0xf0) !== COMPRESSED_COOKIE_BASE) fail('expected a V2 compressed histogram');
  const compressed = bytes.readInt32BE(4);
  if (compressed < 0 || compressed > bytes.length - 8) fail(`its compressed length ${compressed} runs past its end`);
  let inflated: Buffer;
  try {
    inflated = inflateSync(bytes.subarray(8, 8 + compressed), { maxOutputLength: INFLATED_BYTES_MAX });
  } catch (err) {
    return fail(
      (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
        ? `it inflates to more than ${INFLATED_BYTES_MAX} bytes`
        : 'its compressed data is damaged',
    );
  }
  if (inflated.length < HEADER_BYTES || (inflated.readInt32BE(0) & ~0xf0) !== COOKIE_BASE) fail('expected a V2 histogram inside');
  const payload = inflated.readInt32BE(4);
  const digits = inflated.readInt32BE(12);
  // Read as hdr-histogram-js reads them: two unsigned 32-bit halves.
  const lowest = inflated.readUInt32BE(16) * 2 ** 32 + inflated.readUInt32BE(20);
  const highest = inflated.readUInt32BE(24) * 2 ** 32 + inflated.readUInt32BE(28);
  if (payload < 0 || payload > inflated.length - HEADER_BYTES)
    fail(`its payload length ${payload} runs past the ${inflated.length - HEADER_BYTES} bytes it holds`);
  if (!(digits >= 0 && digits <= DIGITS_MAX)) fail(`expected at most ${DIGITS_MAX} significant digits, got ${digits}`);
  if (!(lowest >= 1 && highest >= 2 * lowest && highest <= Number.MAX_SAFE_INTEGER)) fail(`expected a range within 1..2^53, got ${lowest}..${highest}`);
  const histogram = new hdr.Int32Histogram(lowest, highest, digits);
  const cells = histogram.countsArrayLength;
  if (budget !== undefined) budget.remaining -= cells + inflated.length;
  let index = 0;
  let at = HEADER_BYTES;
  const end = HEADER_BYTES + payload;
  while (at < end) {
    // ZigZag LEB128 as hdr-histogram-js writes it: 7 bits a byte, the ninth byte whole.
    let raw = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (at >= end) fail('its payload ends inside a count');
      const byte = inflated[at++]!;
      if (i === 8) {
        raw += byte * scale;
        break;
      }
      raw += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) break;
      scale *= 128;
    }
    if (raw > Number.MAX_SAFE_INTEGER) fail('a count beyond 2^53');
    const value = raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
    if (value < 0) index += -value;
    else {
      if (value > 0xffffffff) fail(`a count of ${value}, beyond 32 bits`);
      if (index >= cells) fail(`its counts run past its range (${cells} buckets)`);
      if (value > 0) histogram.setCountAtIndex(index, value);
      index++;
    }
    if (index > cells) fail(`its counts run past its range (${cells} buckets)`);
  }
  histogram.establishInternalTackingValues(index);
  return histogram;
}
