// `clawpatrol demo` tells the seed-000 story on its own sandbox: it must find the incident, name
// the exact fix command, see the route heal, write alerts to a mailbox, and leak no key.
import { describe, it, expect } from "@jest/globals";
import { existsSync, readFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDemo } from "../../src/demo/run-demo.js";

describe("clawpatrol demo", () => {
  it("finds the 401, alerts, names the fallback command, sees the route heal, sends the resolve notice, ends on the healthy route and cleans up", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clawpatrol-demo-test-"));
    const mailbox = join(dir, "alerts.mbox");
    const lines: string[] = [];
    try {
      // Each stage ends on its event (incident, alert, decision, healthy route, resolve notice); the
      // timeout only bounds a failure.
      const result = await runDemo({ out: (l) => lines.push(l), mailbox, stageTimeoutMs: 20_000 });
      const text = lines.join("\n");
      expect(result.sawIncident).toBe(true);
      expect(result.fallbackCommand).toContain("openclaw config set 'agents.list[0].model' '\"openai-codex/gpt-5.4\"' --strict-json");
      expect(result.resolved).toBe(true);
      expect(text).toMatch(/is rejected \(HTTP 401 User not found\.\).*works, but the runtime uses the stored profile/);
      expect(readFileSync(mailbox, "utf8")).toMatch(/^Subject: .*main/m);
      expect(readFileSync(mailbox, "utf8")).toMatch(/^Subject: .*Resolved/m);
      expect(text).toContain("resolved notice sent");
      expect(lines.at(-1)).toMatch(/^route main → openrouter: healthy/);
      expect(lines.find((l) => l.startsWith("status: "))).toMatch(/1\/1 routes ok/);
      expect(existsSync(result.sandbox)).toBe(false);
      // Every secret-shaped string in the output is a fingerprint (…xxxx), never a whole key.
      expect(text).not.toMatch(/sk-or-v1-[0-9a-f]{20,}/);
      expect(readFileSync(mailbox, "utf8")).not.toMatch(/sk-or-v1-[0-9a-f]{20,}/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("--act switches main through `openclaw config set` (the fake CLI), switches it back once the key is fixed, and ends healthy", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clawpatrol-demo-act-test-"));
    const mailbox = join(dir, "alerts.mbox");
    const lines: string[] = [];
    try {
      const result = await runDemo({ out: (l) => lines.push(l), mailbox, stageTimeoutMs: 30_000, act: true });
      const text = lines.join("\n");
      expect(result.switched).toBe(true);
      expect(result.fallbackCommand).toMatch(/fake-openclaw\.mjs config set 'agents\.list\[0\]\.model' '"openai-codex\/gpt-5\.4"' --strict-json$/);
      expect(text).toContain("status: on openai-codex/gpt-5.4 since");
      expect(result.switchedBack).toBe(true);
      expect(text).toMatch(/switched main back to openrouter\/moonshotai\/kimi-k2\.5/);
      expect(readFileSync(mailbox, "utf8")).toMatch(/^Subject: .*Resolved/m);
      expect(lines.at(-1)).toBe("route main → openrouter: healthy (primary openrouter/moonshotai/kimi-k2.5 ok)");
      expect(text).not.toMatch(/sk-or-v1-[0-9a-f]{20,}/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
