import { describe, expect, it } from 'vitest';
import { EventHeap } from '../../../src/mock/model/event-heap.js';
import { Simulation } from '../../../src/mock/model/simulation.js';

describe('Simulation', () => {
  it('runs events in time order, each at its own time, ties in the order they were scheduled', () => {
    const sim = new Simulation();
    const seen: string[] = [];
    sim.at(30, () => seen.push(`c@${sim.now}`));
    sim.at(10, () => seen.push(`a@${sim.now}`));
    sim.at(10, () => seen.push(`b@${sim.now}`));
    sim.at(20, () => sim.at(20, () => seen.push(`nested@${sim.now}`)));
    sim.advance(25);
    expect(seen).toEqual(['a@10', 'b@10', 'nested@20']);
    expect(sim.now).toBe(25);
    sim.advance(100);
    expect(seen).toEqual(['a@10', 'b@10', 'nested@20', 'c@30']);
  });

  it('skips cancelled events and never schedules in the past', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    const e = sim.at(5, () => seen.push(5));
    sim.at(6, () => seen.push(6));
    e.cancel();
    expect(sim.nextAt()).toBe(6);
    sim.advance(10);
    sim.at(3, () => seen.push(sim.now));
    sim.advance(10);
    expect(seen).toEqual([6, 10]);
    expect(sim.nextAt()).toBe(Infinity);
  });

  it('keeps a large agenda in order', () => {
    const sim = new Simulation();
    const times: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const t = (i * 7919) % 5003;
      sim.at(t, () => times.push(sim.now));
    }
    sim.advance(1e9);
    expect(times).toHaveLength(5000);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
  });
});

describe('EventHeap', () => {
  it('does not keep cancelled events around: a flood of started-and-abandoned work stays bounded', () => {
    const heap = new EventHeap();
    const fired: number[] = [];
    heap.push(5, () => fired.push(5));
    for (let i = 0; i < 100_000; i++) heap.push(3_600_000 + i, () => fired.push(i)).cancel();
    expect(heap.size).toBeLessThan(3000);
    heap.push(7, () => fired.push(7));
    for (let e = heap.popDue(Infinity); e; e = heap.popDue(Infinity)) e.fire();
    expect(fired).toEqual([5, 7]);
  });
});
