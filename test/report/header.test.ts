// The report's header when the run broke: what failed, when, and where the run stopped, in red, apart
// from an interrupt; and the same in one line for the CLI's stderr.
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/result/run-result.js';
import { describeFailure, renderHeader } from '../../src/report/text/header.js';
import { renderRunReport } from '../../src/report/text/run-report.js';
import type { Style } from '../../src/report/text/style.js';
import { lines } from './helpers.js';
import { RAMP_WITH_FAILING_SURGE, simulateRun } from './run-fixture.js';

/** The fixture run cut at 5m30s of its 10m, as if its mock had broken there. */
function broken(failure: RunResult['failure']): RunResult {
  return { ...simulateRun({ ...RAMP_WITH_FAILING_SURGE, interruptAt: 330_000 }), interrupted: false, failure };
}

describe('report header: a run that broke', () => {
  it('says what broke and when, and where the run stopped, instead of "interrupted"', () => {
    const result = broken({ kind: 'mock-exited', atMs: 330_000, message: 'the bundled mock exited (SIGKILL)' });
    const head = lines(renderRunReport(result, { color: false, width: 100 }));
    expect(head.slice(5, 7)).toEqual([
      'the bundled mock exited (SIGKILL) at 5m30s of incident time',
      'the run stopped after 5m30s of 10m of incident time — partial results',
    ]);
    expect(head[7]).toMatch(/^\d+ requests still in flight: counted as unfinished$/);
    expect(head.join('\n')).not.toContain('interrupted');
    expect(describeFailure(result)).toBe('the bundled mock exited (SIGKILL) at 5m30s of incident time; the run stopped there');
  });

  it('names both times when the mock went silent before the run gave up on it', () => {
    const result = broken({ kind: 'mock-unresponsive', atMs: 325_000, message: 'the bundled mock stopped answering its control API (no answer for 5s)' });
    expect(describeFailure(result)).toBe(
      'the bundled mock stopped answering its control API (no answer for 5s) at 5m25s of incident time; the run stopped at 5m30s',
    );
  });

  it('is red, like the interrupted line', () => {
    const result = broken({ kind: 'mock-exited', atMs: 330_000, message: 'the bundled mock exited (SIGKILL)' });
    const tag = (name: string) => (s: string) => `<${name}>${s}</${name}>`;
    const style: Style = {
      color: true,
      good: tag('green'),
      bad: tag('red'),
      warn: tag('warn'),
      dim: tag('dim'),
      strong: tag('b'),
      heading: tag('h'),
      accent: tag('a'),
    };
    const header = renderHeader(result, { color: true, width: 100 }, style);
    expect(header).toContain('<red><b>the bundled mock exited (SIGKILL) at 5m30s of incident time</b></red>');
    expect(header).toContain('<red>the run stopped after 5m30s of 10m of incident time — partial results</red>');
  });

  it('says nothing of the kind when nothing broke', () => {
    const result = simulateRun(RAMP_WITH_FAILING_SURGE);
    expect(describeFailure(result)).toBeUndefined();
    expect(renderRunReport(result, { color: false, width: 100 })).not.toMatch(/partial results/);
  });
});
