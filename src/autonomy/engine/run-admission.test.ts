import { describe, expect, it } from 'vitest';
import { RunAdmission } from './run-admission.js';

/** Admits and starts one run of `t`, as `PlaybookHost.startPlanned` does when the body begins at once. */
function startHere(a: RunAdmission, t: string) {
  if (!a.admit(t)) return null;
  const slot = a.enter(t);
  a.started(t);
  return slot;
}

describe('local admission of runs', () => {
  it('starts runs here up to the process limit, then queues them until one stops executing', () => {
    const a = new RunAdmission({ maxExecuting: 3, businessExecuting: 10, runsPerSecond: 0 });
    const slots = ['a', 'b', 'c'].map((t) => startHere(a, t));
    expect(slots.every(Boolean)).toBe(true);
    expect(a.admit('d')).toBe(false);
    slots[0]!.release();
    expect(a.executingNow()).toBe(2);
    expect(startHere(a, 'd')).not.toBeNull();
  });

  it('a waiting run does not count; it counts again when its wait ends', () => {
    const a = new RunAdmission({ maxExecuting: 1, businessExecuting: 1, runsPerSecond: 0 });
    const s = startHere(a, 'a')!;
    s.pause();
    s.pause();
    expect(a.executingNow()).toBe(0);
    const other = startHere(a, 'a')!;
    s.resume();
    expect(a.executingNow()).toBe(2);
    expect(a.admit('a')).toBe(false);
    s.release();
    other.release();
    other.release();
    expect(a.executingNow()).toBe(0);
    expect(startHere(a, 'a')).not.toBeNull();
  });

  it('a released run stays released when a late resume comes', () => {
    const a = new RunAdmission({ maxExecuting: 5, businessExecuting: 5, runsPerSecond: 0 });
    const s = startHere(a, 'a')!;
    s.pause();
    s.release();
    s.resume();
    expect(a.executingNow()).toBe(0);
  });

  it('caps one business while another still starts here', () => {
    const a = new RunAdmission({ maxExecuting: 10, businessExecuting: 2, runsPerSecond: 0 });
    expect(startHere(a, 'flood')).not.toBeNull();
    expect(startHere(a, 'flood')).not.toBeNull();
    expect(a.admit('flood')).toBe(false);
    expect(startHere(a, 'quiet')).not.toBeNull();
  });

  it('counts admitted starts whose body has not begun, so a burst cannot pass the limits', () => {
    const a = new RunAdmission({ maxExecuting: 3, businessExecuting: 2, runsPerSecond: 0 });
    expect(a.admit('a')).toBe(true);
    expect(a.admit('a')).toBe(true);
    expect(a.admit('a')).toBe(false);
    expect(a.admit('b')).toBe(true);
    expect(a.admit('c')).toBe(false);
    // A start that found the run already there (no body began) gives its room back.
    a.started('a');
    expect(a.admit('c')).toBe(true);
  });

  it('a run resumed by recovery or taken from the queue counts as executing too', () => {
    const a = new RunAdmission({ maxExecuting: 1, businessExecuting: 1, runsPerSecond: 0 });
    const recovered = a.enter('a');
    expect(a.admit('b')).toBe(false);
    recovered.release();
    expect(a.admit('b')).toBe(true);
  });

  it('holds a flooding business to the queue: past its rate it queues until it has been quiet for a second', () => {
    let now = 0;
    const a = new RunAdmission({ maxExecuting: 100, businessExecuting: 100, runsPerSecond: 5 }, () => now);
    const local = (t: string): boolean => {
      const s = startHere(a, t);
      s?.release();
      return s !== null;
    };
    for (let i = 0; i < 5; i++) expect(local('flood')).toBe(true);
    expect(local('flood')).toBe(false);
    // Refilled, but still flooding: every overflow pushes the queueing on by a second.
    now = 900;
    expect(local('flood')).toBe(false);
    now = 1800;
    expect(local('flood')).toBe(false);
    // Another business is not affected.
    expect(local('quiet')).toBe(true);
    // Quiet for a second: back on the local lane, with a full bucket.
    now = 2801;
    expect(local('flood')).toBe(true);
  });
});
