// The one injector the mock and the proxy share, on a clock and a catalogue of its own: what it keeps
// (ids, the log, `for:` on the clock it is given, the limits) does not depend on where faults act.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkFault, formatFaultProblems } from '../../src/core/fault-check.js';
import { FaultError, FaultInjector, type FaultCatalogue, type FaultEvent } from '../../src/core/fault-injector.js';

interface Definition {
  name: string;
  params: z.ZodType<unknown, unknown>;
}
const DEFINITIONS: Definition[] = [
  { name: 'dim', params: z.strictObject({ by: z.number().min(0) }) },
  { name: 'fragile', params: z.strictObject({}) },
];
const forSchema = z.number().positive();
const catalogue: FaultCatalogue<Definition> = {
  names: DEFINITIONS.map((d) => d.name),
  find: (name) => DEFINITIONS.find((d) => d.name === name),
  unknown: (name) => `no ${name} here`,
  validate: (name, raw) =>
    checkFault(
      name,
      DEFINITIONS.find((d) => d.name === name),
      `no ${name} here`,
      raw,
      forSchema,
    ),
  example: '{"fault": "dim", "by": 1}',
};

/** A clock moved by hand, with its agenda. */
function manualClock() {
  let now = 0;
  let agenda: { t: number; fn: () => void }[] = [];
  return {
    now: () => now,
    at(t: number, fn: () => void) {
      const entry = { t, fn };
      agenda.push(entry);
      return { cancel: () => (agenda = agenda.filter((e) => e !== entry)) };
    },
    advance(to: number) {
      for (;;) {
        const due = agenda.filter((e) => e.t <= to).sort((a, b) => a.t - b.t)[0];
        if (!due) break;
        agenda = agenda.filter((e) => e !== due);
        now = due.t;
        due.fn();
      }
      now = to;
    },
    get pending() {
      return agenda.length;
    },
  };
}

function setup(options = {}) {
  const clock = manualClock();
  const level = { dimmed: 0 };
  const injector = new FaultInjector<Definition>(
    catalogue,
    clock,
    (definition, params, context) => {
      if (definition.name === 'fragile') throw new Error('it broke');
      const by = (params as { by: number }).by;
      level.dimmed += by;
      expect(context.id).toBeGreaterThan(0);
      return () => (level.dimmed -= by);
    },
    options,
  );
  const events: FaultEvent[] = [];
  injector.onEvent((e) => events.push(e));
  return { clock, level, injector, events };
}

describe('the shared fault injector', () => {
  it('applies, logs on its clock, and reverts by itself after for:, on that clock', () => {
    const { clock, level, injector, events } = setup();
    clock.advance(100);
    const applied = injector.inject({ fault: 'dim', by: 2, for: 50 });
    expect(applied).toEqual({ id: 1, at: 100, fault: 'dim', params: { by: 2 }, until: 150 });
    expect(level.dimmed).toBe(2);
    clock.advance(149);
    expect(injector.isActive(1)).toBe(true);
    clock.advance(150);
    expect(level.dimmed).toBe(0);
    expect(injector.list()).toEqual([{ ...applied, reverted: 150 }]);
    expect(events.map((e) => [e.kind, e.record.id, e.input])).toEqual([
      ['applied', 1, { by: 2, for: 50 }],
      ['reverted', 1, { by: 2, for: 50 }],
    ]);
  });

  it('refuses, changing nothing and taking no id, what it cannot apply; each refusal a FaultError that says why', () => {
    const { level, injector, clock } = setup();
    expect(() => injector.inject([])).toThrow(/expected a JSON object such as \{"fault": "dim", "by": 1\}/);
    expect(() => injector.inject({ by: 1 })).toThrow(/"fault" must name a fault \(one of: dim, fragile\)/);
    expect(() => injector.inject({ fault: 'melt' })).toThrow(/^no melt here$/);
    const problems = (() => {
      try {
        injector.inject({ fault: 'dim', by: -1, for: 0, extra: 1 });
      } catch (err) {
        return err as Error;
      }
      return undefined;
    })();
    expect(problems).toBeInstanceOf(FaultError);
    expect(problems!.message).toMatch(/^dim: for: /);
    expect(problems!.message).toMatch(/; by: /);
    expect(problems!.message).toMatch(/extra/);
    expect(() => injector.inject({ fault: 'fragile' })).toThrow(new FaultError('fragile: it broke'));
    expect(level.dimmed).toBe(0);
    expect(injector.list()).toEqual([]);
    expect(clock.pending).toBe(0);
    expect(injector.inject({ fault: 'dim', by: 1 }).id).toBe(1);
  });

  it('reverts on request once, cancelling its own revert; a second revert and an unknown id are refused', () => {
    const { clock, level, injector } = setup();
    injector.inject({ fault: 'dim', by: 1, for: 1000 });
    expect(injector.revert(1)).toMatchObject({ id: 1, reverted: 0 });
    expect(clock.pending).toBe(0);
    expect(() => injector.revert(1)).toThrow('fault 1 was already reverted');
    expect(() => injector.revert(9)).toThrow('no fault 9');
    expect(level.dimmed).toBe(0);
  });

  it('caps the active faults and the log (the oldest reverted entries go first), and reverts or forgets them all', () => {
    const { level, injector } = setup({ activeLimit: 2, logLimit: 3 });
    injector.inject({ fault: 'dim', by: 1 });
    injector.inject({ fault: 'dim', by: 1 });
    expect(() => injector.inject({ fault: 'dim', by: 1 })).toThrow('too many active faults (2); revert some first');
    injector.revert(1);
    injector.inject({ fault: 'dim', by: 1 });
    injector.revert(2);
    injector.inject({ fault: 'dim', by: 1 });
    expect(injector.list().map((r) => r.id)).toEqual([2, 3, 4]);
    expect(injector.activeCount).toBe(2);
    injector.revertAll();
    expect(level.dimmed).toBe(0);
    expect(injector.activeCount).toBe(0);
    injector.inject({ fault: 'dim', by: 5 });
    injector.reset();
    expect(injector.list()).toEqual([]);
    expect(level.dimmed).toBe(5); // forgotten, not reverted: what it acted on is being reset underneath
  });

  it('words problems with their paths, an unknown name as its own message', () => {
    expect(
      formatFaultProblems('dim', [
        { path: ['by'], message: 'expected ≥ 0' },
        { path: ['for'], message: 'expected a duration' },
      ]),
    ).toBe('dim: by: expected ≥ 0; for: expected a duration');
    expect(formatFaultProblems('melt', [{ path: ['fault'], message: 'no melt here' }])).toBe('melt: no melt here');
  });
});
