// The report files (--html, --junit, --summary-md; shown with --html): checked before anything runs (a directory, "-", a missing directory: bad
// input), written whole through a temporary file, and when the target cannot be written after all, the
// report kept in a private temporary directory with a message that says where; a renderer that throws
// writes nothing and says so.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkReportTargets, writeReports } from '../../src/cli/output-file.js';

const checkHtmlTarget = (html: string | undefined): void => checkReportTargets({ html });
const saveHtml = (html: string, render: () => string): string | undefined => writeReports({ html }, { html: render })[0];
import { UsageError } from '../../src/core/errors.js';

describe('checkHtmlTarget', () => {
  const dir = mkdtempSync(join(tmpdir(), 'incident-load-html-target-'));

  it('refuses "-", an empty name, a directory and a missing directory, naming --html', () => {
    expect(() => checkHtmlTarget('-')).toThrow(/^--html: expected a file name/);
    expect(() => checkHtmlTarget(' ')).toThrow(/^--html: expected a file name, got an empty name/);
    expect(() => checkHtmlTarget(dir)).toThrow(/is a directory/);
    expect(() => checkHtmlTarget(join(dir, 'no', 'r.html'))).toThrow(UsageError);
    checkHtmlTarget(join(dir, 'r.html'));
    checkHtmlTarget(undefined);
    // The probe file it created to check is gone.
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('saveHtml', () => {
  it('writes the file whole, leaving no temporary file beside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'incident-load-html-save-'));
    expect(saveHtml(join(dir, 'r.html'), () => '<!doctype html>')).toBeUndefined();
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toBe('<!doctype html>');
    expect(readdirSync(dir)).toEqual(['r.html']);
  });

  it('keeps the report in a temporary directory when the target cannot be written, and says where', () => {
    const dir = mkdtempSync(join(tmpdir(), 'incident-load-html-gone-'));
    checkHtmlTarget(join(dir, 'r.html'));
    rmSync(dir, { recursive: true });
    const message = saveHtml(join(dir, 'r.html'), () => '<p>kept</p>');
    const where = /the report is saved in (\S+)$/.exec(message ?? '')?.[1];
    expect(message).toMatch(/^could not write --html \(ENOENT/);
    expect(where !== undefined && existsSync(where) && readFileSync(where, 'utf8')).toBe('<p>kept</p>');
  });

  it('says so when the report cannot be rendered, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'incident-load-html-bug-'));
    const message = saveHtml(join(dir, 'r.html'), () => {
      throw new Error('a bug');
    });
    expect(message).toMatch(/could not render --html .*r\.html \(a bug\); nothing was written there/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
