// Units used everywhere a human writes a number: durations ("30s"), rates ("50/s"), ramps ("2/s..12/s")
// and sizes ("1MB"), each within its stated limit (limits.ts). Parsers throw UnitError with what was
// expected, so callers can add where (file, field, flag) and the message stays one sentence.

import { LIMITS } from './limits.js';

export class UnitError extends Error {
  constructor(
    readonly expected: string,
    readonly got: unknown,
  ) {
    super(`expected ${expected}, got ${describe(got)}`);
    this.name = 'UnitError';
  }
}

export function describe(value: unknown): string {
  // A long value is shown by its start and length: a message stays one readable line.
  if (typeof value === 'string') return value.length > 60 ? `${JSON.stringify(`${value.slice(0, 40)}…`)} (${value.length} characters)` : JSON.stringify(value);
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

const DURATION_UNITS: Record<string, number> = {
  us: 0.001,
  µs: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const { durationMaxMs: DURATION_MAX_MS, rateMax: RATE_MAX, bytesMax: BYTES_MAX } = LIMITS;

const DURATION_EXPECTED = 'a duration such as "250ms", "30s", "5m", "1h30m" (at most 30d)';
const DURATION_PART = /(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|h|d)/gy;

/** Milliseconds from "250ms", "1.5s", "5m", "1h30m", "2d". A bare 0 is allowed; other bare numbers are not (ms? s?). */
export function parseDuration(input: unknown): number {
  if (input === 0 || input === '0') return 0;
  if (typeof input !== 'string') throw new UnitError(DURATION_EXPECTED, input);
  const text = input.trim();
  if (text === '') throw new UnitError(DURATION_EXPECTED, input);
  DURATION_PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let m = DURATION_PART.exec(text); m; m = DURATION_PART.exec(text)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    consumed = DURATION_PART.lastIndex;
  }
  if (consumed !== text.length || !(total <= DURATION_MAX_MS)) throw new UnitError(DURATION_EXPECTED, input);
  return total;
}

/** Positive duration: zero is rejected (a phase, timeout or interval of zero is always a mistake). */
export function parsePositiveDuration(input: unknown): number {
  const ms = parseDuration(input);
  if (!(ms > 0)) throw new UnitError(`a duration above zero, such as "30s"`, input);
  return ms;
}

const RATE_PER: Record<string, number> = { s: 1, sec: 1, m: 1 / 60, min: 1 / 60, h: 1 / 3600 };
const RATE_EXPECTED = 'a rate such as "50/s", "300/m" or 50 (per second; at most 1000000/s)';

/** Requests per second from "50/s", "300/m", "2/h" or a bare number (per second). Zero is allowed here. */
export function parseRate(input: unknown): number {
  let rate = NaN;
  if (typeof input === 'number') rate = input;
  else if (typeof input === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|m|min|h))?\s*$/.exec(input);
    if (m) rate = Number(m[1]) * (m[2] ? RATE_PER[m[2]]! : 1);
  }
  if (!(rate >= 0 && rate <= RATE_MAX)) throw new UnitError(RATE_EXPECTED, input);
  return rate;
}

export interface RateRange {
  from: number;
  to: number;
}

const RANGE_EXPECTED = 'a rate ("50/s") or a ramp ("50/s..500/s")';

/** A constant rate or a linear ramp "A..B" (also "A -> B"), each side a rate; per second. */
export function parseRateRange(input: unknown): RateRange {
  if (typeof input === 'string') {
    const parts = input.split(/\.\.|->/);
    if (parts.length === 2) {
      try {
        return { from: parseRate(parts[0]), to: parseRate(parts[1]) };
      } catch {
        throw new UnitError(RANGE_EXPECTED, input);
      }
    }
    if (parts.length > 2) throw new UnitError(RANGE_EXPECTED, input);
  }
  try {
    const rate = parseRate(input);
    return { from: rate, to: rate };
  } catch {
    throw new UnitError(RANGE_EXPECTED, input);
  }
}

const BYTE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};
const BYTES_EXPECTED = 'a size such as "512KB", "1MB", "2GiB" or a number of bytes (at most 1PB)';

/** Bytes from "512KB" (1000s), "1MiB" (1024s) or a bare number of bytes. */
export function parseBytes(input: unknown): number {
  let bytes = NaN;
  if (typeof input === 'number') bytes = input;
  else if (typeof input === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(input);
    const unit = m ? BYTE_UNITS[(m[2] || 'b').toLowerCase()] : undefined;
    if (m && unit !== undefined) bytes = Number(m[1]) * unit;
  }
  if (!(bytes >= 0 && bytes <= BYTES_MAX)) throw new UnitError(BYTES_EXPECTED, input);
  return bytes;
}

/** Incident-time milliseconds as the shortest readable text: 950ms, 1.5s, 2m30s, 3h. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1) return `${round(ms * 1000, 0)}µs`;
  if (ms < 1000) return `${round(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0)}ms`;
  if (ms < 60_000) return `${round(ms / 1000, ms < 10_000 ? 2 : 1)}s`;
  if (ms < 3_600_000) {
    const m = Math.floor(ms / 60_000);
    const s = Math.round((ms - m * 60_000) / 1000);
    return s === 0 ? `${m}m` : s === 60 ? `${m + 1}m` : `${m}m${s}s`;
  }
  const h = Math.floor(ms / 3_600_000);
  const m = Math.round((ms - h * 3_600_000) / 60_000);
  return m === 0 ? `${h}h` : m === 60 ? `${h + 1}h` : `${h}h${m}m`;
}

/** Requests per second, readable: 0.25/s, 12.5/s, 1.2k/s. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 10_000) return `${round(perSecond / 1000, 1)}k/s`;
  if (perSecond >= 100) return `${Math.round(perSecond)}/s`;
  if (perSecond >= 1) return `${round(perSecond, 1)}/s`;
  return `${round(perSecond, 3)}/s`;
}

/** `value` rounded to `digits` decimals. */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Incident ms in days, for limits that long: "30d", "40d", "1.5d". */
export function formatDays(ms: number): string {
  return `${round(ms / 86_400_000, 2)}d`;
}
