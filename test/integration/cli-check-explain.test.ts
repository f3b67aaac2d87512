// `clawpatrol check` / `explain` on the seed-000 install: the built CLI finds in one run what the
// support thread took a day to find.
import { beforeAll, describe, expect, test } from "@jest/globals";
import { fixtureHome, fixtureState } from "./adapter-fixtures.js";
import { hasStackTrace, requireBuild, runCli } from "./cli-runner.js";

beforeAll(requireBuild);

const seed = ["--state-dir", fixtureState("seed-000")];

describe("clawpatrol check --json on the seed-000 install", () => {
  const r = () => runCli(["check", "--json", "--offline", ...seed], fixtureHome("seed-000"));

  test("prints schema 1 with the OpenClaw version, era and state dir", () => {
    const out = r();
    const doc = JSON.parse(out.stdout);
    expect(doc.schema).toBe(1);
    expect(doc.openclaw).toMatchObject({ version: "2026.4.14", era: "B", stateDir: fixtureState("seed-000") });
    expect([1, 2]).toContain(out.code);
    expect(hasStackTrace(out.stdout + out.stderr)).toBe(false);
  });

  test("reports the shadowed default, the duplicate .env key, the plaintext key and the shadowed credential", () => {
    const { findings } = JSON.parse(r().stdout) as { findings: { kind: string; subject: Record<string, string>; summary: string; detail?: string }[] };
    const find = (kind: string, pred: (f: { subject: Record<string, string>; summary: string }) => boolean = () => true) => findings.find((f) => f.kind === kind && pred(f));

    const shadowedDefault = find("config.shadowed-default", (f) => f.subject.agent === "main")!;
    expect(shadowedDefault.summary).toContain("openrouter/moonshotai/kimi-k2.5");
    expect(shadowedDefault.summary).toContain("agents.list[0].model");
    expect(shadowedDefault.detail).toContain("openclaw config unset agents.list[0].model");
    expect(shadowedDefault.detail).toContain("openclaw config set agents.list[0].model openai-codex/gpt-5.4");

    const dup = find("env.duplicate-key")!;
    expect(dup.summary).toMatch(/OPENROUTER_API_KEY is defined 2 times in ~\/\.openclaw\/\.env \(lines 1, 3\) with different values; line 3 wins/);

    const plain = find("secret.plaintext", (f) => f.summary.includes("openclaw.json") && f.summary.includes("models.providers.openrouter.apiKey"))!;
    expect(plain.summary).toMatch(/sk-or-v1-…[0-9a-f]{4} #[0-9a-f]{8}/);
    expect(plain.detail).toContain("openclaw secrets configure");

    const shadowed = find("auth.shadowed", (f) => f.subject.agent === "main" && f.subject.provider === "openrouter")!;
    expect(shadowed.summary).toMatch(/stored profile openrouter:default \(.*auth-profiles\.json\) \(sk-or-v1-…[0-9a-f]{4} #[0-9a-f]{8}\) beats OPENROUTER_API_KEY from ~\/\.openclaw\/\.env line 3 \(sk-or-v1-…[0-9a-f]{4}/);
    expect(shadowed.detail).toContain("openclaw models auth --agent main paste-api-key --provider openrouter --profile-id openrouter:default");
    // Offline there is no probe: two sources that differ are a read-time fact (info, the digest); the
    // page comes from the probe's critical auth.shadowed when the runtime's key is the rejected one.
    expect((shadowed as unknown as { severity: string }).severity).toBe("info");
  });

  test("human output starts with the verdict, then a short report with the same problems", () => {
    const out = runCli(["check", "--offline", ...seed], fixtureHome("seed-000"));
    const [verdict, banner] = out.stdout.split("\n");
    expect(verdict).toMatch(/^WARNING — \d+ finding\(s\): 0 critical, [1-9]\d* warning, \d+ info$/);
    expect(banner).toMatch(/^OpenClaw 2026\.4\.14 · storage era B/);
    for (const kind of ["config.shadowed-default", "env.duplicate-key", "secret.plaintext", "auth.shadowed"]) expect(out.stdout).toContain(kind);
  });

  test("check --short is one Nagios line: verdict, counts, the worst finding, perfdata; exit code to match", () => {
    const out = runCli(["check", "--offline", "--short", ...seed], fixtureHome("seed-000"));
    expect(out.code).toBe(1);
    expect(out.stdout.endsWith("\n")).toBe(true);
    expect(out.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(out.stdout).toMatch(/^WARNING: 0 critical, [1-9]\d* warning, \d+ info; [a-z.-]+: [^|]+ \| critical=\d+;;1;0 warning=\d+;1;;0 info=\d+;;;0\n$/);
    const missing = runCli(["check", "--short", "--state-dir", "/nonexistent/openclaw"], fixtureHome("seed-000"));
    expect(missing.code).toBe(3);
    expect(missing.stdout).toMatch(/^UNKNOWN: no OpenClaw state dir at \/nonexistent\/openclaw/);
  });

  test("human output wraps to the terminal width ($COLUMNS), continuing under the finding's text", () => {
    const wide = runCli(["check", "--offline", ...seed], fixtureHome("seed-000")).stdout;
    expect(Math.max(...wide.split("\n").map((l) => l.length))).toBeGreaterThan(100);
    const out = runCli(["check", "--offline", ...seed], fixtureHome("seed-000"), { COLUMNS: "80" }).stdout;
    // Only a single word longer than a line (a path, a command) may exceed the width.
    for (const line of out.split("\n")) if (line.length > 80) expect(line.trim()).not.toContain(" ");
    expect(out).toMatch(/\n(WARNING |info    ) config\.shadowed-default .*\n {9}\S/);
    expect(out.replace(/\s+/g, " ")).toBe(wide.replace(/\s+/g, " "));
  });
});

describe("clawpatrol explain --agent main on the seed-000 install", () => {
  test("shows the override's origin and which key wins", () => {
    const out = runCli(["explain", "--agent", "main", ...seed], fixtureHome("seed-000"));
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("primary:   openrouter/moonshotai/kimi-k2.5");
    expect(out.stdout).toContain("from per-agent override, ~/.openclaw/openclaw.json: agents.list[0].model");
    expect(out.stdout).toContain("(agents.defaults.model = openai-codex/gpt-5.4 does not reach this agent)");
    expect(out.stdout).toMatch(/uses:\s+stored profile openrouter:default \(~\/\.openclaw\/agents\/main\/agent\/auth-profiles\.json\)\s+sk-or-v1-…/);
    expect(out.stdout).toMatch(/shadows: OPENROUTER_API_KEY from ~\/\.openclaw\/\.env line 3\s+sk-or-v1-….*\(DIFFERENT key\)/);
  });

  test("--json gives the same answer as data", () => {
    const doc = JSON.parse(runCli(["explain", "--agent", "main", "--json", ...seed], fixtureHome("seed-000")).stdout);
    const main = doc.agents[0];
    expect(main.route.primary).toEqual({ model: "openrouter/moonshotai/kimi-k2.5", from: "agent", origin: "~/.openclaw/openclaw.json: agents.list[0].model" });
    expect(doc.defaultsModel).toBe("openai-codex/gpt-5.4");
    const or = main.credentials.find((c: { provider: string }) => c.provider === "openrouter");
    expect(or.winner).toMatchObject({ kind: "profile", profileId: "openrouter:default" });
    expect(or.shadows.some((s: { envVar?: string; source: string }) => s.envVar === "OPENROUTER_API_KEY" && /line 3$/.test(s.source))).toBe(true);
  });

  test("an unknown agent is a one-line error and exit 3", () => {
    const out = runCli(["explain", "--agent", "Steve", ...seed], fixtureHome("seed-000"));
    expect(out.code).toBe(3);
    expect(out.stderr.trim().split("\n")).toHaveLength(1);
    expect(out.stderr).toContain('no agent "Steve"');
  });
});
