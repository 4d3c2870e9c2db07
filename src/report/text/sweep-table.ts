// A sweep as text: one line on what was varied and how the variants ran, a table with a row per variant
// (its value of each varied key, then each phase's success and p99 of successes, then how many
// thresholds held), and the thresholds that failed, variant by variant, with what was measured. Phases
// are the first measured variant's, matched by name. When the table is too wide, the p99 columns go first,
// then long keys' headings take two lines.
import { formatDuration } from '../../core/units.js';
import type { PhaseResult, RunResult } from '../../result/run-result.js';
import type { SweepDocument, SweepVariantDocument } from '../../result/sweep-document.js';
import { formatCount, formatPercent, NONE } from './figures.js';
import { drawTable, widest } from './plain-table.js';
import { createStyle, DEFAULT_WIDTH, sectionTitle, truncate, type RenderOptions, type Style } from './style.js';
import { formatActual } from './threshold-lines.js';

export function renderSweep(doc: SweepDocument, options: RenderOptions = { color: false, width: DEFAULT_WIDTH }): string {
  const style = createStyle(options.color);
  const measured = doc.variants.flatMap((v) => (v.result ? [v.result] : []));
  const phases = measured[0]?.phases.map((p) => p.name) ?? [];
  const parts = [headline(doc, measured, options, style), table(doc, phases, options, style), failedThresholds(doc, options, style)];
  return parts.filter((p) => p !== '').join('\n\n');
}

function headline(doc: SweepDocument, measured: readonly RunResult[], options: RenderOptions, style: Style): string {
  const first = measured[0];
  const varied = doc.vary.map((v) => `${v.key} over ${v.values.join(', ')}`).join(' × ');
  const wallMs = measured.reduce((sum, r) => sum + r.wallMs, 0);
  const how = first
    ? `${doc.variants.length} variants of ${formatDuration(first.plannedMs)} of incident time, seed ${first.profile.seed}, ${
        first.profile.clock === 'virtual' ? `simulated in ${formatDuration(wallMs)} (virtual time)` : `in ${formatDuration(wallMs)} wall`
      }`
    : `${doc.variants.length} variants, none measured`;
  const lines = [style.strong(truncate(`${doc.tool.name} ${doc.tool.version} · sweep of ${doc.profile}`, options.width)), `${varied}`, how];
  return lines.map((l) => truncate(l, options.width)).join('\n');
}

function table(doc: SweepDocument, phases: readonly string[], options: RenderOptions, style: Style): string {
  const draw = (withP99: boolean, keysBroken = false): string => {
    // A long key's heading on two lines, broken after its last dot: "mock.fleet." over "workers".
    const keyHead = (key: string): string =>
      keysBroken && key.lastIndexOf('.') > 0 ? `${key.slice(0, key.lastIndexOf('.') + 1)}\n${key.slice(key.lastIndexOf('.') + 1)}` : key;
    const head = [
      ...doc.vary.map((v) => keyHead(v.key)),
      ...phases.flatMap((name) => [`${name}\nsuccess`, ...(withP99 ? [`${name}\np99`] : [])]),
      'thresholds\nheld',
    ];
    const notes = doc.variants.map(note);
    const anyNote = notes.some((n) => n !== '');
    const rows = doc.variants.map((v, i) => [
      ...doc.vary.map((vary) => String(v.values[vary.key] ?? NONE)),
      ...phases.flatMap((name) => {
        const p = v.result?.phases.find((x) => x.name === name);
        return [successCell(p, style), ...(withP99 ? [p99Cell(p)] : [])];
      }),
      heldCell(v, style),
      ...(anyNote ? [style.warn(notes[i]!)] : []),
    ]);
    return drawTable({
      head: [...head, ...(anyNote ? [''] : [])],
      align: [...head.map(() => 'right' as const), ...(anyNote ? ['left' as const] : [])],
      rows,
    });
  };
  let text = draw(true);
  if (widest(text) > options.width) text = draw(false);
  if (widest(text) > options.width) text = draw(false, true);
  const title = sectionTitle('variants', '(success: ok ÷ offered; p99 of successes, from the intended send)', options.width, style);
  return `${title}\n${text}`;
}

function successCell(p: PhaseResult | undefined, style: Style): string {
  if (!p || p.offered === 0) return NONE;
  const text = formatPercent(p.successRatio);
  if (p.successRatio >= 0.99) return style.good(text);
  if (p.successRatio >= 0.9) return style.warn(text);
  return style.bad(text);
}

function p99Cell(p: PhaseResult | undefined): string {
  return p?.okLatencyMs ? formatDuration(p.okLatencyMs.p99) : NONE;
}

function heldCell(v: SweepVariantDocument, style: Style): string {
  const thresholds = v.result?.thresholds ?? [];
  if (!v.result || thresholds.length === 0) return NONE;
  const held = thresholds.filter((t) => t.ok).length;
  const text = `${formatCount(held)}/${formatCount(thresholds.length)}`;
  return held === thresholds.length ? style.good(text) : style.bad(text);
}

/** Why a row is not a whole run's: not run, interrupted, broken. */
function note(v: SweepVariantDocument): string {
  if (!v.result) return 'not run';
  if (v.result.interrupted) return `interrupted at ${formatDuration(v.result.total.durationMs)}`;
  if (v.result.failure) return v.result.failure.message;
  return '';
}

function failedThresholds(doc: SweepDocument, options: RenderOptions, style: Style): string {
  const lines = doc.variants.flatMap((v) => {
    const failed = (v.result?.thresholds ?? []).filter((t) => !t.ok);
    if (failed.length === 0) return [];
    const label = doc.vary.map((vary) => `${vary.key}=${v.values[vary.key]}`).join(', ');
    const mark = style.color ? '✗' : 'FAIL';
    return failed.map((t) => `${style.bad(mark)} ${truncate(`${label}: ${t.expr}  actual ${formatActual(t)}`, options.width - mark.length - 1)}`);
  });
  if (lines.length === 0) {
    const judged = doc.variants.filter((v) => (v.result?.thresholds.length ?? 0) > 0).length;
    return judged === 0 ? '' : `${style.heading('thresholds')} ${style.good(`held in all ${judged} variants`)}`;
  }
  const variants = doc.variants.filter((v) => (v.result?.thresholds ?? []).some((t) => !t.ok)).length;
  return [`${style.heading('thresholds')} ${style.bad(`failed in ${variants} of ${doc.variants.length} variants`)}`, ...lines].join('\n');
}
