// A profile as text: the one-line list (`incident-load profiles`) and the full view (`profiles <name>`,
// `validate`). Returns strings; the CLI prints them.
import type { Profile } from '../profile/profile.js';
import { formatDuration, formatRate } from '../core/units.js';
import { phaseArea, totalDurationMs } from '../schedule/phase.js';
import { redactTarget } from '../profile/target.js';
import { redactHeaders } from '../core/http-header.js';

/** One line per profile, each twin right after its original, cut to `width` columns. */
export function listProfiles(profiles: readonly Profile[], width = 100): string {
  const nameWidth = Math.max(4, ...profiles.map((p) => p.name.length));
  const order = (p: Profile): string => p.name.replace(/-remediated$/, '\u0000remediated');
  const lines = [...profiles]
    .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
    .map((p) => {
      const wall = formatDuration(totalDurationMs(p.phases) / p.speed);
      const line = `${p.name.padEnd(nameWidth)}  ${wall.padStart(6)}  ${firstSentence(p.description)}`;
      return line.length > width ? `${line.slice(0, width - 1)}…` : line;
    });
  return [
    `${'name'.padEnd(nameWidth)}  ${'wall'.padStart(6)}  description`,
    ...lines,
    '',
    'incident-load profiles <name> shows one in full; incident-load ramp <name> runs it.',
  ].join('\n');
}

export function describeProfile(profile: Profile): string {
  const total = totalDurationMs(profile.phases);
  const out: string[] = [];
  out.push(`${profile.name}  (${profile.source})`);
  if (profile.description) out.push('', ...wrap(profile.description, 96).map((l) => `  ${l}`));
  out.push('');
  const target = profile.target === 'mock' ? (profile.proxy ? 'the URL --target gives' : 'the bundled mock') : redactTarget(profile.target);
  out.push(`target   ${target}${profile.proxy ? ', through the fault-injecting proxy (it applies the faults)' : ''}`);
  out.push(
    `time     ${formatDuration(total)} of incident time at speed ${profile.speed}: ${formatDuration(total / profile.speed)} wall · seed ${profile.seed}`,
  );
  const c = profile.client;
  const r = c.retries;
  const retries =
    r.max === 0
      ? 'no retries'
      : `${r.max} retries, ${r.backoff} backoff (base ${formatDuration(r.baseMs)}, cap ${formatDuration(r.capMs)})${r.respectRetryAfter ? ', honours Retry-After' : ''}${r.budget !== undefined ? `, budget ${r.budget}` : ''}`;
  out.push(
    `client   timeout ${formatDuration(c.timeoutMs)} · ${c.arrivals} arrivals · ${c.connections} connections · max in flight ${c.maxInFlight} · ${retries}`,
  );
  const mix = profile.request.mix;
  if (mix) {
    out.push('', 'request mix');
    for (const m of mix) {
      const changes = [
        m.method,
        m.path,
        ...Object.entries(redactHeaders(m.headers ?? {})).map(([k, v]) => `${k}: ${v}`),
        ...(m.body !== undefined ? ['with a body'] : []),
      ].filter((x) => x !== undefined);
      out.push(`  ${m.name.padEnd(14)} ${`${+(m.share * 100).toFixed(2)}%`.padStart(7)}  ${changes.join(' · ') || 'the request as it is'}`);
    }
  }
  out.push('', 'phases');
  for (const p of profile.phases) {
    const load =
      p.kind === 'closed'
        ? `${p.vus} virtual users (closed model)`
        : p.from === p.to
          ? `${formatRate(p.from)} · ~${Math.round(phaseArea(p))} requests`
          : `${formatRate(p.from)} → ${formatRate(p.to)} · ~${Math.round(phaseArea(p))} requests`;
    out.push(`  ${p.name.padEnd(14)} ${formatDuration(p.durationMs).padStart(7)}  ${load}`);
  }
  if (profile.faults.length > 0) {
    out.push('', 'faults');
    for (const f of profile.faults) {
      const params = Object.entries(f.params)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ');
      out.push(`  at ${formatDuration(f.at).padStart(7)}  ${f.fault}${params ? ` ${params}` : ''}`);
    }
  }
  if (profile.thresholds.length > 0) out.push('', 'thresholds', ...profile.thresholds.map((t) => `  ${t}`));
  return out.join('\n');
}

function firstSentence(text: string): string {
  const m = /^(.*?[.!?])(\s|$)/.exec(text.trim());
  return m ? m[1]! : text.trim();
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
