// `clawpatrol demo` tells the seed-000 story on its own sandbox: it must show what a real `check`
// shows, find the incident, name the exact fix command, see the route heal, write alerts to a
// mailbox, end with every incident resolved or explained in one line, show one fingerprint per key
// in every output, and leak no key.
import { describe, it, expect } from "@jest/globals";
import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runDemo, standInGateway, type DemoResult } from "../../src/demo/run-demo.js";
import { buildSeedSandbox } from "../../src/demo/seed-sandbox.js";
import { startFakeProvider } from "../../src/fake/provider.js";
import { decodeQP } from "../../src/util/mime-words.js";
import { REPO } from "./adapter-fixtures.js";
import { requireBuild } from "./cli-runner.js";

/** "CRITICAL auth.rejected", "WARNING env.duplicate-key", … of a rendered check (fingerprints and paths differ per sandbox). */
function checkShape(text: string): string[] {
  return text.split("\n").filter((l) => /^(CRITICAL|WARNING |info    ) \S+ {2}/.test(l)).map((l) => l.split(/\s+/).slice(0, 2).join(" "));
}

/** A real `clawpatrol check` (the built CLI) on a sandbox built the same way, against the same kind of fake provider. */
async function realCheck(): Promise<{ code: number; stdout: string }> {
  const provider = await startFakeProvider({ unknownKey: "401" });
  const gateway = await standInGateway();
  const seed = buildSeedSandbox({ providerUrl: provider.url, gatewayPort: gateway.port, now: Date.now() });
  provider.setKeyBehaviour(seed.keys.envKey, "ok");
  try {
    const env = { PATH: dirname(process.execPath), HOME: seed.home, OPENCLAW_STATE_DIR: seed.stateDir, XDG_STATE_HOME: join(seed.home, "state"), XDG_CONFIG_HOME: join(seed.home, "config") };
    return await new Promise((resolve) =>
      execFile(process.execPath, [join(REPO, "dist", "src", "cli", "clawpatrol.js"), "check"], { env, encoding: "utf8", timeout: 60_000 }, (err, stdout) => resolve({ code: err ? Number(err.code) : 0, stdout })),
    );
  } finally {
    seed.dispose();
    await provider.close();
    await new Promise((r) => gateway.server.close(r));
  }
}

/** Every "…xxxx #hash" fingerprint shown, by the part a person reads. */
function fingerprints(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of text.matchAll(/((?:sk-[a-z0-9-]+)?…[A-Za-z0-9_-]{4}) #([0-9a-f]{8})/g)) {
    if (!out.has(m[1]!)) out.set(m[1]!, new Set());
    out.get(m[1]!)!.add(m[2]!);
  }
  return out;
}

function expectStoryEnd(lines: string[], result: DemoResult): void {
  const text = lines.join("\n");
  const end = lines.slice(lines.indexOf("── where the story ends ──────────────────────────────────────────"));
  expect(end[1]).toMatch(/^route main → openrouter: healthy \(.*\); its incident inc-\S+ is resolved\.$/);
  // Nothing left unexplained: every incident open at the end has its own line.
  for (const i of result.openAtEnd) expect(end.filter((l) => l.includes(` ${i.kind}: ${i.summary}`))).toHaveLength(1);
  expect(end.filter((l) => /^ {2}(critical|warning|info) /.test(l))).toHaveLength(result.openAtEnd.length);
  if (result.openAtEnd.length) expect(end[2]).toContain(`${result.openAtEnd.length} incidents stay open, none of them the outage`);
  expect(result.openAtEnd.some((i) => i.kind.startsWith("auth.rejected") || i.kind.startsWith("remedy."))).toBe(false);
  expect(text).not.toContain("=?UTF-8?");
  expect(lines.at(-1)).toMatch(/^\(the story took \d+\.\d s\)$/);
}

describe("clawpatrol demo", () => {
  it("shows what a real check shows, alerts, names the fallback command, sees the route heal, ends with every incident explained, one fingerprint per key", async () => {
    requireBuild();
    const dir = mkdtempSync(join(tmpdir(), "clawpatrol-demo-test-"));
    const mailbox = join(dir, "alerts.mbox");
    const lines: string[] = [];
    try {
      // Each stage ends on its event (incident, alert, decision, healthy route, resolve notice); the
      // timeout only bounds a failure.
      const result = await runDemo({ out: (l) => lines.push(l), mailbox, stageTimeoutMs: 20_000 });
      process.stderr.write(`clawpatrol demo: the story took ${result.elapsedMs} ms\n`);
      const text = lines.join("\n");
      // The check section is what `clawpatrol check` on such an install prints and exits.
      const section = lines.slice(lines.indexOf("── clawpatrol check ──────────────────────────────────────────────"), lines.findIndex((l) => l.startsWith("── clawpatrol explain"))).join("\n");
      const real = await realCheck();
      expect(result.checkExit).toBe(2);
      expect(real.code).toBe(2);
      expect(section).toContain("(exit 2, as `clawpatrol check` exits on this install)");
      expect(section.split("\n")[1]).toBe(real.stdout.split("\n")[0]);
      expect(checkShape(section)).toEqual(checkShape(real.stdout));
      expect(checkShape(section)[0]).toBe("CRITICAL auth.rejected");

      expect(result.sawIncident).toBe(true);
      expect(result.fallbackCommand).toContain("openclaw config set 'agents.list[0].model' '\"openai-codex/gpt-5.4\"' --strict-json");
      expect(result.resolved).toBe(true);
      expect(text).toMatch(/is rejected \(HTTP 401 User not found\.\).*works, but the runtime uses the stored profile/);
      const mail = readFileSync(mailbox, "utf8");
      expect(mail).toMatch(/^Subject: .*main/m);
      expect(mail).toMatch(/^Subject: .*Resolved/m);
      expect(text).toMatch(/^alert sent \("main on .*"\) — to /m);
      expect(text).toContain("resolved notice sent");
      expectStoryEnd(lines, result);

      // One key, one fingerprint: in check, explain, probe, the daemon's lines and every mail.
      const shown = fingerprints(`${text}\n${decodeQP(mail)}`);
      expect(shown.size).toBeGreaterThanOrEqual(4);
      for (const [key, hashes] of shown) expect({ key, hashes: [...hashes] }).toEqual({ key, hashes: [[...hashes][0]] });

      expect(existsSync(result.sandbox)).toBe(false);
      // Every secret-shaped string in the output is a fingerprint (…xxxx), never a whole key.
      expect(text).not.toMatch(/sk-or-v1-[0-9a-f]{20,}/);
      expect(mail).not.toMatch(/sk-or-v1-[0-9a-f]{20,}/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

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
      expectStoryEnd(lines, result);
      expect(text).toContain("route main → openrouter: healthy (primary openrouter/moonshotai/kimi-k2.5 ok)");
      expect(text).not.toMatch(/sk-or-v1-[0-9a-f]{20,}/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
