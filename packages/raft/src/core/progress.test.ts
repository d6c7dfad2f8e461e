import { describe, it, expect } from '@jest/globals';
import { Inflights, Progress } from './progress.js';

describe('Inflights', () => {
  it('fills up to its capacity and frees acknowledged messages', () => {
    const inf = new Inflights(3);
    inf.add(5);
    inf.add(8);
    inf.add(12);
    expect(inf.isFull()).toBe(true);
    inf.freeLE(8);
    expect(inf.count).toBe(1);
    inf.freeFirst();
    expect(inf.count).toBe(0);
  });
});

describe('Progress', () => {
  it('pipelines in replicate state and pauses when the window is full', () => {
    const pr = new Progress(11, false, 2);
    pr.maybeUpdate(10);
    pr.becomeReplicate();
    pr.sentEntries(15, 5);
    pr.sentEntries(20, 5);
    expect(pr.next).toBe(21);
    expect(pr.isPaused()).toBe(true);
    pr.maybeUpdate(15);
    pr.inflights.freeLE(15);
    expect(pr.isPaused()).toBe(false);
  });

  it('sends one probe at a time', () => {
    const pr = new Progress(5, false, 8);
    expect(pr.isPaused()).toBe(false);
    pr.sentEntries(4, 0);
    expect(pr.isPaused()).toBe(true);
  });

  it('jumps back to the follower hint on rejection and ignores stale rejections', () => {
    const pr = new Progress(101, false, 8);
    expect(pr.maybeDecrTo(50, 10)).toBe(false); // not the probe we sent
    expect(pr.maybeDecrTo(100, 40)).toBe(true);
    expect(pr.next).toBe(41);
  });

  it('forgets what a follower acknowledged when it rejects it (a wiped disk)', () => {
    const pr = new Progress(11, false, 8);
    pr.maybeUpdate(10);
    expect(pr.maybeDecrTo(10, 0)).toBe(true);
    expect(pr.match).toBe(0);
    expect(pr.next).toBe(1);
  });

  it('leaves the snapshot state after the snapshot index, or after match when the transfer failed', () => {
    const pr = new Progress(3, false, 8);
    pr.maybeUpdate(2);
    pr.becomeSnapshot(50, 3);
    expect(pr.isPaused()).toBe(true);
    pr.becomeProbe();
    expect(pr.next).toBe(51);
    pr.becomeSnapshot(50, 3);
    pr.becomeProbe(false);
    expect(pr.next).toBe(3);
  });
});
