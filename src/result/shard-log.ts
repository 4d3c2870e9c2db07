// A segment's result carried through its log (ramp --shard-stdout), for runs whose segments leave no files
// behind (pods): the result JSON, gzipped, in base64 lines that each name their segment, between a begin
// line (with the line count and a digest) and an end line. Whatever a log collector puts in front of a
// line (`kubectl logs --prefix`, timestamps) is ignored, the lines of several segments may interleave,
// and a shard that lost lines is recognised as truncated, with its segment named. A segment that failed
// before it had a result writes an error line instead, so that its failure, not just its absence, is told.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { truncateProblem } from '../core/errors.js';
import type { RunResult } from './run-result.js';
import { RESULT_BYTES_MAX } from './saved-result.js';

export const SHARD_MARK = '@incident-load/shard';
/** Base64 characters per line: far below the 16 KiB at which container runtimes split log lines. */
const CHUNK_CHARS = 3_000;

/** The lines (without newlines) that carry `result`, a segment's (result.shard set). */
export function shardLogLines(result: RunResult): string[] {
  const { index, count, run } = result.shard!;
  const json = JSON.stringify(result);
  const data = gzipSync(json).toString('base64');
  const chunks: string[] = [];
  for (let at = 0; at < data.length; at += CHUNK_CHARS) chunks.push(data.slice(at, at + CHUNK_CHARS));
  const tag = `${SHARD_MARK} ${index}/${count}`;
  return [
    `${tag} begin run=${run} lines=${chunks.length} sha256=${sha256(json)}`,
    ...chunks.map((c, i) => `${tag} ${i + 1}/${chunks.length} ${c}`),
    `${tag} end`,
  ];
}

/** The line a segment writes when it ends without a result (its message on one line). */
export function shardErrorLine(index: number, count: number, message: string): string {
  return `${SHARD_MARK} ${index}/${count} error ${JSON.stringify(message.replace(/\s+/g, ' ').trim())}`;
}

/** A log to read, and its name for messages (a file, or "stdin"). */
export interface ShardLog {
  source: string;
  text: string;
}

export interface FoundShard {
  index: number;
  count: number;
  source: string;
  /** The JSON text of the result, as it was written. */
  json: string;
}

/** What a segment's lines said, when they did not make a shard. */
export interface ShardProblem {
  index: number;
  count: number;
  source: string;
  kind: 'error' | 'truncated' | 'damaged' | 'conflict';
  message: string;
}

export interface ShardLogReading {
  shards: FoundShard[];
  problems: ShardProblem[];
}

interface Pending {
  index: number;
  count: number;
  source: string;
  lines: number;
  sha: string;
  chunks: Map<number, string>;
  ended: boolean;
}

const MB = 1024 * 1024;
/** What the shards of all the logs may inflate to together: the results of a few thousand pods. */
export const SHARDS_BYTES_MAX = 1024 * MB;

const LINE = new RegExp(`${SHARD_MARK.replace('/', '\\/')} (\\d+)/(\\d+) (.*)$`);

/** Every shard and every segment's error in the logs, in the order met. */
export function readShardLogs(logs: readonly ShardLog[]): ShardLogReading {
  const shards: FoundShard[] = [];
  const problems: ShardProblem[] = [];
  let inflatedLeft = SHARDS_BYTES_MAX;
  for (const { source, text } of logs) {
    const open = new Map<string, Pending>();
    const finish = (p: Pending): void => {
      const got = p.chunks.size;
      const label = `segment ${p.index} of ${p.count}`;
      if (!p.ended || got < p.lines) {
        problems.push({
          ...where(p),
          kind: 'truncated',
          message: `${source}: ${label}: its shard is truncated (${got} of ${p.lines} lines${p.ended ? '' : ', no end line'}): the log was cut, or the pod was killed while writing it`,
        });
        return;
      }
      // The digest is of the JSON, so the shard is inflated before it is checked: within what a result
      // may be, and what all the logs' shards may be together, never what a forged shard says it holds.
      let json: string;
      const allowed = Math.max(1, Math.min(RESULT_BYTES_MAX, inflatedLeft));
      try {
        const data = Buffer.from(Array.from({ length: p.lines }, (_, i) => p.chunks.get(i + 1) ?? '').join(''), 'base64');
        json = gunzipSync(data, { maxOutputLength: allowed }).toString('utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
          const what =
            allowed < RESULT_BYTES_MAX
              ? `with the shards before it, more than ${SHARDS_BYTES_MAX / MB} MB in all`
              : `more than the ${RESULT_BYTES_MAX / MB} MB a result may be`;
          problems.push({ ...where(p), kind: 'damaged', message: `${source}: ${label}: its shard is damaged (it inflates to ${what})` });
          return;
        }
        json = '';
      }
      inflatedLeft -= json.length;
      if (sha256(json) !== p.sha) {
        problems.push({
          ...where(p),
          kind: 'damaged',
          message: `${source}: ${label}: its shard is damaged (its digest does not match): lines were altered or mixed`,
        });
        return;
      }
      shards.push({ index: p.index, count: p.count, source, json });
    };
    for (const raw of text.split('\n')) {
      const m = LINE.exec(raw.replace(/\r$/, ''));
      if (!m) continue;
      const index = Number(m[1]);
      const count = Number(m[2]);
      const rest = m[3]!;
      const key = `${index}/${count}`;
      const pending = open.get(key);
      const begin = /^begin run=(\S+) lines=(\d+) sha256=([0-9a-f]{64})$/.exec(rest);
      if (begin) {
        if (pending) finish(pending);
        open.set(key, { index, count, source, lines: Number(begin[2]), sha: begin[3]!, chunks: new Map(), ended: false });
        continue;
      }
      if (rest === 'end') {
        if (pending) {
          pending.ended = true;
          finish(pending);
          open.delete(key);
        }
        continue;
      }
      const error = /^error (.*)$/.exec(rest);
      if (error) {
        let message: string;
        try {
          message = String(JSON.parse(error[1]!));
        } catch {
          message = error[1]!;
        }
        // Quoted as `validate` quotes a value: one readable line, however long the log's line.
        problems.push({
          index,
          count,
          source,
          kind: 'error',
          message: `${source}: segment ${index} of ${count} failed before writing its shard: ${truncateProblem(message)}`,
        });
        continue;
      }
      const chunk = /^(\d+)\/(\d+) ([A-Za-z0-9+/=]+)$/.exec(rest);
      if (chunk && pending && Number(chunk[2]) === pending.lines) pending.chunks.set(Number(chunk[1]), chunk[3]!);
    }
    for (const p of open.values()) finish(p);
  }
  return { shards, problems };
}

function where(p: Pending): { index: number; count: number; source: string } {
  return { index: p.index, count: p.count, source: p.source };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
