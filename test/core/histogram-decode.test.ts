// Histograms read from files are decoded with their cost bounded first (audit 2026-12-07, 3.1): what the
// tool writes decodes exactly as hdr-histogram-js decodes it; forged headers and payloads are refused in
// microseconds, never minutes of CPU or gigabytes of memory.
import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { decodeBoundedHistogram, decodeBudget, HistogramDecodeError } from '../../src/core/histogram-decode.js';
import { createHistogram, encodeHistogram, recordMs, summarize } from '../../src/core/latency-histogram.js';
import { Random } from '../../src/core/random.js';
import { forgedHistogram } from '../support/saved-results.js';

describe('decoding a histogram read from a file', () => {
  it('gives back exactly what the tool encoded, however wide its range', () => {
    const random = new Random(5, 'histogram-decode');
    const h = createHistogram();
    for (let i = 0; i < 5_000; i++) recordMs(h, random.lognormal(80, 1.5));
    recordMs(h, 40 * 86_400_000); // past the first hour: autoResize widened it
    const encoded = encodeHistogram(h);
    const back = decodeBoundedHistogram(encoded);
    expect(back.totalCount).toBe(h.totalCount);
    expect(summarize(back)).toEqual(summarize(hdr.decodeFromCompressedBase64(encoded, 32, false)));
    expect(summarize(back)!.p99).toBe(summarize(h)!.p99);
    expect(decodeBoundedHistogram(encodeHistogram(createHistogram())).totalCount).toBe(0);
    expect(decodeBoundedHistogram(forgedHistogram()).totalCount).toBe(1);
  });

  it.each([
    [
      'a payload length of 2^31 - 1 (372 characters, 60-106 s of report before)',
      forgedHistogram({ payloadLength: 0x7fffffff }),
      /payload length 2147483647 runs past/,
    ],
    ['5 significant digits over 1..2^53', forgedHistogram({ digits: 5, highest: Number.MAX_SAFE_INTEGER }), /at most 3 significant digits, got 5/],
    ['a range beyond 2^53', forgedHistogram({ highest: 2 ** 60 }), /range within 1\.\.2\^53/],
    [
      '16 MB of zero counts (a 1 GB one took 2.2 GB of memory before)',
      forgedHistogram({ payload: Buffer.alloc(16 * 1024 * 1024) }),
      /inflates to more than 524288 bytes/,
    ],
    ['counts past its range', forgedHistogram({ payload: Buffer.alloc(100_000) }), /counts run past its range \(23552 buckets\)/],
    ['a run of 2^40 zeros', forgedHistogram({ payload: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x3f, 2]) }), /counts run past its range/],
    ['a payload that ends inside a count', forgedHistogram({ payload: Buffer.from([0x80]) }), /ends inside a count/],
    ['garbage', 'not-base64!!', /expected base64/],
    ['too long', 'A'.repeat(300_000), /at most 262144 characters/],
  ])('refuses %s, at once', (_, encoded, why) => {
    const started = process.hrtime.bigint();
    expect(() => decodeBoundedHistogram(encoded)).toThrow(HistogramDecodeError);
    expect(() => decodeBoundedHistogram(encoded)).toThrow(why);
    // Not a timing assertion on the result: a guard against the minutes these used to take.
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(20);
  });

  it('shares a budget between the histograms of one file, and refuses once it is spent', () => {
    const encoded = encodeHistogram(createHistogram());
    const budget = decodeBudget(60_000); // each costs its 23,552 buckets and the bytes it inflated to
    decodeBoundedHistogram(encoded, budget);
    decodeBoundedHistogram(encoded, budget);
    decodeBoundedHistogram(encoded, budget);
    expect(() => decodeBoundedHistogram(encoded, budget)).toThrow(/histograms together cost more than/);
  });
});
