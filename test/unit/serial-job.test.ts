import { describe, it, expect } from "@jest/globals";
import { SerialJob } from "../../src/util/serial-job.js";

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
