import { describe, expect, it } from 'vitest';
import { ClassPicker, classTemplates, underTarget } from '../../src/dispatch/request-mix.js';
import type { RequestClass } from '../../src/core/request.js';

const MIX: RequestClass[] = [
  { name: 'priority', share: 0.2, headers: { 'x-priority': 'high' } },
  { name: 'standard', share: 0.5, path: '/b', method: 'POST', body: '{}' },
  { name: 'rest', share: 0.3, headers: { 'x-team': 'other' } },
];
const BASE = { method: 'GET', path: '/a', headers: { 'x-team': 'load' } };

describe('classTemplates', () => {
  it('without a mix: the request itself', () => {
    expect(classTemplates(BASE)).toEqual([{ ...BASE, body: undefined }]);
  });

  it('each class changes only what it names; its headers are added, and win', () => {
    expect(classTemplates({ ...BASE, mix: MIX })).toEqual([
      { method: 'GET', path: '/a', headers: { 'x-team': 'load', 'x-priority': 'high' }, body: undefined },
      { method: 'POST', path: '/b', headers: { 'x-team': 'load' }, body: '{}' },
      { method: 'GET', path: '/a', headers: { 'x-team': 'other' }, body: undefined },
    ]);
  });
});

describe('ClassPicker', () => {
  it('without a mix (or with one class) it is always class 0', () => {
    const none = new ClassPicker(undefined, 1);
    const one = new ClassPicker([{ name: 'only', share: 1 }], 1);
    for (let i = 0; i < 100; i++) expect([none.next(), one.next()]).toEqual([0, 0]);
  });

  it('draws each class with its share', () => {
    const picker = new ClassPicker(MIX, 42);
    const n = 50_000;
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) counts[picker.next()]!++;
    // Binomial sd of a share p over n draws is sqrt(p(1-p)/n) ≤ 0.0023 here; 0.012 is over 5 sd.
    MIX.forEach((c, i) => expect(Math.abs(counts[i]! / n - c.share)).toBeLessThan(0.012));
  });

  it('the same seed gives the same sequence; another seed another one', () => {
    const draw = (seed: number): number[] => {
      const picker = new ClassPicker(MIX, seed);
      return Array.from({ length: 200 }, () => picker.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });
});

describe('ClassPicker, even spread (uniform arrivals)', () => {
  it('interleaves the classes deterministically: every prefix is within one request of each share', () => {
    const picker = new ClassPicker(MIX, 1, 'even');
    const counts = [0, 0, 0];
    for (let n = 1; n <= 2_000; n++) {
      counts[picker.next()]!++;
      MIX.forEach((c, i) => expect(Math.abs(counts[i]! - c.share * n)).toBeLessThan(1));
    }
  });

  it('does not depend on the seed, and shares that add up to nearly 1 are used relative to their sum', () => {
    const thirds = [
      { name: 'a', share: 0.333 },
      { name: 'b', share: 0.333 },
      { name: 'c', share: 0.333 },
    ];
    const draw = (seed: number): number[] => {
      const picker = new ClassPicker(thirds, seed, 'even');
      return Array.from({ length: 300 }, () => picker.next());
    };
    expect(draw(1)).toEqual(draw(2));
    expect([0, 1, 2].map((i) => draw(1).filter((c) => c === i).length)).toEqual([100, 100, 100]);
  });
});

describe('underTarget', () => {
  const base = { method: 'GET', path: '/from-profile', headers: {} };
  it("takes the request path and each class path under the URL's path and query (BASE_URL + path)", () => {
    const request = underTarget(
      {
        ...base,
        mix: [
          { name: 'a', share: 0.5, path: '/images?n=1' },
          { name: 'b', share: 0.5 },
        ],
      },
      new URL('http://127.0.0.1:1/api/v2/?key=k'),
    );
    expect(request.path).toBe('/api/v2/from-profile?key=k');
    expect(request.mix!.map((c) => c.path)).toEqual(['/api/v2/images?key=k&n=1', undefined]);
  });

  it('the default path "/" is the URL as it is; at the root a path is used as written', () => {
    expect(underTarget({ ...base, path: '/' }, new URL('http://127.0.0.1:1/health?x=1')).path).toBe('/health?x=1');
    const request = underTarget({ ...base, mix: [{ name: 'a', share: 1, path: '/images?n=1' }] }, new URL('http://127.0.0.1:1'));
    expect([request.path, request.mix![0]!.path]).toEqual(['/from-profile', '/images?n=1']);
  });
});
