// Finds the real Prometheus tools (Debian packages `prometheus`, `prometheus-alertmanager`). When a
// tool is missing the test is skipped with a loud banner — unless CLAWPATROL_REQUIRE_PROMETHEUS=1
// (set by .ci/run after installing them), where a missing tool fails the test instead.
import { it } from "@jest/globals";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export function findTool(...names: string[]): string | null {
  for (const name of names) {
    for (const dir of (process.env.PATH ?? "").split(delimiter)) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not in this directory
      }
    }
  }
  return null;
}

export const TOOLS = {
  promtool: () => findTool("promtool"),
  prometheus: () => findTool("prometheus"),
  alertmanager: () => findTool("prometheus-alertmanager", "alertmanager"),
  amtool: () => findTool("amtool"),
};

/** `it` when every tool is installed; otherwise a loud SKIP (or a failure when they are required). */
export function itWithTools(tools: (keyof typeof TOOLS)[], title: string, fn: () => Promise<void> | void, timeoutMs?: number): void {
  const missing = tools.filter((t) => TOOLS[t]() === null);
  if (missing.length === 0) {
    it(title, fn, timeoutMs);
    return;
  }
  const why = `${missing.join(", ")} not installed (apt-get install -y prometheus prometheus-alertmanager)`;
  if (process.env.CLAWPATROL_REQUIRE_PROMETHEUS === "1") {
    it(title, () => {
      throw new Error(`CLAWPATROL_REQUIRE_PROMETHEUS=1 but ${why}`);
    });
    return;
  }
  process.stderr.write(`\n*** SKIP: "${title}" — ${why} ***\n\n`);
  it.skip(`${title} [SKIPPED: ${why}]`, fn, timeoutMs);
}
