// node-cron writes its own coloured console lines ("[NODE-CRON] [WARN] missed execution …") into
// the daemon's JSON log unless told otherwise: they go through clawpatrol's logger or nowhere.
import { describe, it, expect, jest } from "@jest/globals";
import { createLogger } from "../../src/util/log.js";
import { nodeCronSchedule } from "../../src/probe/scheduler.js";

function blockFor(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) { /* a busy machine */ }
}

/** Runs an every-second task across a 2.5 s block of the event loop (a missed execution) and returns what reached the console. */
async function missAnExecution(schedule: ReturnType<typeof nodeCronSchedule>): Promise<string[]> {
  const consoleLines: string[] = [];
  const spies = (["warn", "info", "error", "debug", "log"] as const).map((m) => jest.spyOn(console, m).mockImplementation((...a: unknown[]) => void consoleLines.push(a.map(String).join(" "))));
  let ran = 0;
  const handle = schedule("* * * * * *", () => void ran++);
  try {
    await new Promise((r) => setTimeout(r, 1100));
    blockFor(2500);
    const before = ran;
    // Two beats after the block: node-cron plans the missed slots on the first.
    while (ran < before + 2) await new Promise((r) => setTimeout(r, 100));
  } finally {
    handle.stop();
    for (const s of spies) s.mockRestore();
  }
  return consoleLines;
}

describe("node-cron's own log lines", () => {
  it("a missed execution is one line of the daemon's JSON log, without colour codes, and nothing on the console", async () => {
    const lines: string[] = [];
    const log = createLogger({ destination: { write: (l: string) => void lines.push(l) }, pretty: false, level: "debug" });
    const consoleLines = await missAnExecution(nodeCronSchedule(log));
    expect(consoleLines).toEqual([]);
    const missed = lines.map((l) => JSON.parse(l) as { level: string; lib?: string; msg: string }).filter((r) => /missed execution/.test(r.msg));
    expect(missed.length).toBeGreaterThan(0);
    expect(missed[0]).toMatchObject({ level: "warn", lib: "node-cron" });
    expect(lines.join("")).not.toMatch(/\u001b\[|\\u001b/);
  }, 20_000);

  it("without a logger they go nowhere", async () => {
    expect(await missAnExecution(nodeCronSchedule())).toEqual([]);
  }, 20_000);
});
