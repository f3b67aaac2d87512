// `clawpatrol check` on a generated 10,000-agent install: one line per finding kind with a count,
// not a line per agent (a 43k-agent config once printed 174,040 lines).
import { describe, it, expect, afterAll } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CLI = join(process.cwd(), "dist", "src", "cli", "main.js");
const home = mkdtempSync(join(tmpdir(), "clawpatrol-10k-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("clawpatrol check on 10,000 agents", () => {
  it("prints one summarised line for the 10,000 pinned agents, with examples and a fix", () => {
    const stateDir = join(home, ".openclaw");
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const entries: Record<string, unknown> = { main: { name: "main" } };
    for (let i = 0; i < 10_000; i++) entries[`agent${String(i).padStart(5, "0")}`] = { name: `agent${i}`, model: "mock/other" };
    writeFileSync(
      join(stateDir, "openclaw.json"),
      JSON.stringify({
        gateway: { mode: "local", bind: "loopback", port: 18999 },
        // Its own gateway log: the default (/tmp/openclaw, shared by every OpenClaw on the host) may hold another install's cooldowns.
        logging: { file: join(home, "gateway.log") },
        models: { providers: { mock: { baseUrl: "http://127.0.0.1:9/v1", apiKey: "${MOCK_API_KEY}", api: "openai-completions", models: [{ id: "mock-ok" }, { id: "other" }] } } },
        agents: { defaults: { model: { primary: "mock/mock-ok" }, heartbeat: { agentId: "main" }, systemAgent: { agentId: "main" } }, ownership: "explicit", entries },
      }),
      { mode: 0o600 },
    );
    writeFileSync(join(stateDir, ".env"), "MOCK_API_KEY=sk-fake-many-agents-0123456789\n", { mode: 0o600 });
    const env = { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: join(home, "xs"), XDG_CONFIG_HOME: join(home, "xc"), TERM: "dumb" };
    const r = spawnSync(process.execPath, [CLI, "check", "--offline", "--state-dir", stateDir], { env, encoding: "utf8", timeout: 120_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.length).toBeLessThan(20);
    expect(r.stdout).toContain("10,000 agents pin their own model (agents.defaults.model does not reach them) — e.g. agent00000, agent00001, agent00002, …");
    expect(r.stdout).not.toContain("agent09999");
    const json = spawnSync(process.execPath, [CLI, "check", "--offline", "--json", "--state-dir", stateDir], { env, encoding: "utf8", timeout: 120_000 });
    const findings = JSON.parse(json.stdout).findings as { kind: string; evidence?: { agents?: number } }[];
    expect(findings.filter((f) => f.kind === "config.shadowed-default")).toEqual([expect.objectContaining({ evidence: expect.objectContaining({ agents: 10_000 }) })]);
  }, 240_000);
});
