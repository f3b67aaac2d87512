import { describe, it, expect } from "@jest/globals";
import { cronIntervalMs } from "../../src/util/cron-interval.js";

const MIN = 60_000;

describe("the period of a probe schedule", () => {
  it("reads minute steps, with or without a seconds field", () => {
    expect(cronIntervalMs("*/2 * * * *")).toBe(2 * MIN);
    expect(cronIntervalMs("* * * * *")).toBe(MIN);
    expect(cronIntervalMs("0 */10 * * * *")).toBe(10 * MIN);
  });

  it("never goes below a minute for second-level schedules", () => {
    expect(cronIntervalMs("*/15 * * * * *")).toBe(MIN);
  });

  it("falls back to the hour step for a fixed minute, and a day for a fixed hour", () => {
    expect(cronIntervalMs("5 * * * *")).toBe(60 * MIN);
    expect(cronIntervalMs("0 */6 * * *")).toBe(6 * 60 * MIN);
    expect(cronIntervalMs("0 8 * * *")).toBe(24 * 60 * MIN);
    expect(cronIntervalMs("  30 2 * * 1  ")).toBe(24 * 60 * MIN);
  });
});
