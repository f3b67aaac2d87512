import { describe, it, expect } from "@jest/globals";
import { SerialJob, SerialQueue } from "../../src/util/serial-job.js";

describe("serial job runner", () => {
  it("never runs two passes at once; triggers during a run coalesce into one follow-up", async () => {
    let active = 0;
    let maxActive = 0;
    let release: (() => void) | null = null;
    const job = new SerialJob(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise<void>((r) => (release = r));
      active--;
    });
    const first = job.trigger();
    const followUps = Array.from({ length: 50 }, () => job.trigger());
    expect(job.runs).toBe(1);
    release!();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(job.runs).toBe(2);
    release!();
    await Promise.all(followUps);
    await job.idle();
    expect(job.runs).toBe(2);
    expect(maxActive).toBe(1);
  });

  it("keeps running after a pass throws, reporting the error", async () => {
    const errors: unknown[] = [];
    let n = 0;
    const job = new SerialJob(() => {
      n++;
      if (n === 1) throw new Error("boom");
    }, { onError: (e) => errors.push(e) });
    await job.trigger();
    await job.trigger();
    expect(n).toBe(2);
    expect(errors).toHaveLength(1);
  });
});

describe("serial queue", () => {
  it("runs every call in order, one at a time, each caller getting its own result", async () => {
    const queue = new SerialQueue();
    const order: string[] = [];
    let active = 0;
    const step = (name: string, ms: number) => queue.run(async () => {
      active++;
      expect(active).toBe(1);
      order.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      order.push(`end ${name}`);
      active--;
      return name;
    });
    const results = await Promise.all([step("a", 5), step("b", 0), step("c", 1)]);
    expect(results).toEqual(["a", "b", "c"]);
    expect(order).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it("gives a failing call's error to its caller only; the next call still runs", async () => {
    const queue = new SerialQueue();
    const failed = queue.run(() => {
      throw new Error("boom");
    });
    const next = queue.run(() => 42);
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe(42);
    await queue.idle();
    expect(queue.pending).toBe(0);
  });
});
