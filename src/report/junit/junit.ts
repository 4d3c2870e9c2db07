// JUnit XML for CI servers (Jenkins, GitLab, GitHub's test reporters): `ramp --junit`, `merge --junit`
// and `compare --junit`. A run's thresholds are its test cases, one <testsuite> per phase they are
// about and one for the run-wide ones, a failed threshold carrying <failure> with what was measured
// against the limit; a run that broke or was interrupted adds an <error> case, so CI never reads a
// partial run as green. For compare, each --fail-on rule on each phase of each later run is a case.
// The shape is the one Jenkins' xunit plugin (junit-10.xsd) and the Ant/Surefire reports share.
// Strings only; src/cli/ writes them.
import type { RunResult, ThresholdResult } from '../../result/run-result.js';
import { parseThreshold } from '../../threshold/parse.js';
import { describeFailure } from '../text/header.js';
import { faultAt, faultStatus, faultsSummary, faultText } from '../fault-lines.js';
import { formatActual } from '../text/threshold-lines.js';
import type { FailOnCheck } from '../compare/fail-on.js';

interface Case {
  name: string;
  classname: string;
  failure?: { message: string; type: string };
  error?: { message: string; type: string };
  /** Not judged (a --fail-on rule beyond its margin that one run a side cannot judge) or not run on purpose (a fault under --skip-faults): neither passed nor failed. */
  skipped?: { message: string; type: string };
}

interface Suite {
  name: string;
  cases: Case[];
}

/** A run's thresholds as JUnit XML. */
export function renderRunJunit(result: RunResult): string {
  const profile = result.profile.name;
  const byPhase = new Map<string, Case[]>();
  const suiteOf = (phase: string | undefined): Case[] => {
    const key = phase ?? '';
    let cases = byPhase.get(key);
    if (!cases) byPhase.set(key, (cases = []));
    return cases;
  };
  for (const t of result.thresholds) {
    const phase = phaseOf(t);
    suiteOf(phase).push({
      name: t.expr,
      classname: `incident-load.${profile}.${phase ?? 'run'}`,
      ...(t.ok ? {} : { failure: { type: 'threshold', message: `actual ${formatActual(t)}, limit ${limitOf(t.expr)}` } }),
    });
  }
  // Each fault a case: applied (by whom, in its name), not applied (a failure: the chaos did not happen),
  // or skipped on purpose (--skip-faults).
  const faults = faultsSummary(result);
  for (const f of result.faults) {
    const status = faultStatus(f, faults!.applier);
    suiteOf(FAULTS_SUITE).push({
      name: `fault at ${faultAt(f)}: ${faultText(f)}${f.error === undefined ? ` (${status})` : ''}`,
      classname: `incident-load.${profile}.faults`,
      ...(f.error === undefined
        ? {}
        : faults!.skipped
          ? { skipped: { type: 'skip-faults', message: status } }
          : { failure: { type: 'fault', message: status } }),
    });
  }
  const broken = describeFailure(result) ?? (result.interrupted ? 'the run was interrupted: what was measured is a part of it' : undefined);
  if (broken) suiteOf(undefined).push({ name: 'the run completed', classname: `incident-load.${profile}.run`, error: { type: 'run', message: broken } });
  // The run-wide suite first, then the faults, then the phases in the run's order.
  const order = ['', FAULTS_SUITE, ...result.phases.map((p) => p.name)];
  const suites: Suite[] = [...byPhase.entries()]
    .sort(([a], [b]) => rank(order, a) - rank(order, b))
    .map(([phase, cases]) => ({ name: phase === '' ? `${profile} · run` : phase === FAULTS_SUITE ? `${profile} · faults` : `${profile} · ${phase}`, cases }));
  return document(`incident-load ${profile}`, suites, result.wallMs / 1000, result.startedAt);
}

/** The key of the faults' suite (no phase is named with a NUL). */
const FAULTS_SUITE = '\u0000faults';

/** compare --fail-on's rules, judged, as JUnit XML: a suite per phase, a case per rule and later run. */
export function renderCompareJunit(name: string, checks: readonly FailOnCheck[], startedAt: string, wallMs: number): string {
  const suites = new Map<string, Case[]>();
  for (const c of checks) {
    let cases = suites.get(c.phase);
    if (!cases) suites.set(c.phase, (cases = []));
    cases.push({
      name: `${c.rule} (${c.run})`,
      classname: `incident-load.compare.${c.phase}`,
      ...(c.broken ? { failure: { type: 'fail-on', message: c.message } } : c.unjudged ? { skipped: { type: 'not-judged', message: c.message } } : {}),
    });
  }
  return document(
    `incident-load compare ${name}`,
    [...suites.entries()].map(([phase, cases]) => ({ name: `compare · ${phase}`, cases })),
    wallMs / 1000,
    startedAt,
  );
}

/** "surge: p99 < 300ms" -> "p99 < 300ms": the limit, without the scope its suite already names. */
function limitOf(expr: string): string {
  const colon = expr.indexOf(':');
  const op = expr.search(/[<>=!]/);
  return colon >= 0 && (op < 0 || colon < op) ? expr.slice(colon + 1).trim() : expr;
}

function phaseOf(t: ThresholdResult): string | undefined {
  try {
    return parseThreshold(t.expr).phase;
  } catch {
    return undefined;
  }
}

function rank(order: readonly string[], phase: string): number {
  const i = order.indexOf(phase);
  return i < 0 ? order.length : i;
}

function document(name: string, suites: readonly Suite[], seconds: number, timestamp: string): string {
  const count = (pick: (c: Case) => unknown): number => suites.reduce((acc, s) => acc + s.cases.filter(pick).length, 0);
  const tests = suites.reduce((acc, s) => acc + s.cases.length, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(name)}" tests="${tests}" failures="${count((c) => c.failure)}" errors="${count((c) => c.error)}" time="${time(seconds)}">`,
  ];
  for (const suite of suites) {
    const failures = suite.cases.filter((c) => c.failure).length;
    const errors = suite.cases.filter((c) => c.error).length;
    const skipped = suite.cases.filter((c) => c.skipped).length;
    lines.push(
      `  <testsuite name="${attr(suite.name)}" tests="${suite.cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" timestamp="${attr(timestamp)}">`,
    );
    for (const c of suite.cases) {
      const open = `    <testcase name="${attr(c.name)}" classname="${attr(c.classname)}"`;
      const problem = c.failure ? ['failure', c.failure] : c.error ? ['error', c.error] : c.skipped ? ['skipped', c.skipped] : undefined;
      if (!problem) {
        lines.push(`${open}/>`);
        continue;
      }
      const [tag, { type, message }] = problem as ['failure' | 'error' | 'skipped', { type: string; message: string }];
      lines.push(`${open}>`, `      <${tag} type="${attr(type)}" message="${attr(message)}">${text(message)}</${tag}>`, '    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function time(seconds: number): string {
  return (Math.round(seconds * 1000) / 1000).toFixed(3);
}

/** Text XML 1.0 can hold: control characters other than tab, newline and return are dropped. */
function clean(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

function text(value: string): string {
  return clean(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
