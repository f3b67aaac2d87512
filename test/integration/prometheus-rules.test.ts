// The shipped fleet pieces: alerting rules pass their promtool unit tests, the scrape config in
// docs/fleet.md is one Prometheus accepts, and the Grafana dashboard and the rules only use metrics
// docs/metrics.md documents.
import { describe, it, expect } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { itWithTools, TOOLS } from "../support/prometheus-tools.js";

const RULES = "deploy/prometheus/clawpatrol.rules.yml";
const RULE_TESTS = "deploy/prometheus/clawpatrol.rules.test.yml";
const DASHBOARD = "deploy/grafana/clawpatrol-fleet.json";

const documented = (): Set<string> => new Set([...readFileSync("docs/metrics.md", "utf8").matchAll(/`(clawpatrol_[a-z_]+)`/g)].map((m) => m[1]!));
/** clawpatrol_* names in a PromQL expression, histogram series reduced to their family. */
const metricNames = (expr: string): string[] => [...expr.matchAll(/\bclawpatrol_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ""));

function run(tool: "promtool" | "amtool", ...args: string[]): string {
  try {
    return execFileSync(TOOLS[tool]()!, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`${tool} ${args.join(" ")} failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}
const promtool = (...args: string[]) => run("promtool", ...args);

/** The fenced ```yaml block of docs/fleet.md whose first line is `# <title>`. */
function fleetDocBlock(title: string): string {
  const doc = readFileSync("docs/fleet.md", "utf8");
  const block = [...doc.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.startsWith(`# ${title}\n`));
  if (!block) throw new Error(`docs/fleet.md has no yaml block starting with "# ${title}"`);
  return block;
}

describe("Prometheus alerting rules", () => {
  itWithTools(["promtool"], "pass promtool's checks and their unit tests", () => {
    expect(promtool("check", "rules", RULES)).toMatch(/SUCCESS: 8 rules found/);
    const out = promtool("test", "rules", RULE_TESTS);
    process.stdout.write(out);
    expect(out).toMatch(/SUCCESS/);
  });

  itWithTools(["promtool"], "fail their unit tests when a threshold is changed (the tests can fail)", () => {
    const dir = mkdtempSync(join(tmpdir(), "clawpatrol-rules-"));
    try {
      writeFileSync(join(dir, "clawpatrol.rules.yml"), readFileSync(RULES, "utf8").replace("clawpatrol_alert_spool_depth > 10", "clawpatrol_alert_spool_depth > 100"));
      copyFileSync(RULE_TESTS, join(dir, "clawpatrol.rules.test.yml"));
      expect(() => promtool("test", "rules", join(dir, "clawpatrol.rules.test.yml"))).toThrow(/ClawpatrolSpoolBacklog/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("use only documented metrics", () => {
    const names = metricNames(readFileSync(RULES, "utf8"));
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !documented().has(n))).toEqual([]);
  });
});

describe("docs/fleet.md", () => {
  itWithTools(["promtool"], "carries a Prometheus config that promtool accepts, with the shipped rules", () => {
    const dir = mkdtempSync(join(tmpdir(), "clawpatrol-fleetdoc-"));
    try {
      // The doc loads the rules from /etc/prometheus/rules/; check it against the shipped file.
      const config = fleetDocBlock("prometheus.yml").replace(/\/etc\/prometheus\/rules\/clawpatrol\.rules\.yml/g, join(process.cwd(), RULES));
      writeFileSync(join(dir, "prometheus.yml"), config);
      const out = promtool("check", "config", join(dir, "prometheus.yml"));
      expect(out).toMatch(/SUCCESS/);
      expect(out).toMatch(/SUCCESS: 8 rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("docs/fleet.md's Alertmanager config", () => {
  itWithTools(["amtool"], "is one amtool accepts, with the inhibit rule that keeps one page per broken route", () => {
    const dir = mkdtempSync(join(tmpdir(), "clawpatrol-amdoc-"));
    try {
      const block = fleetDocBlock("alertmanager.yml");
      writeFileSync(join(dir, "alertmanager.yml"), block);
      expect(run("amtool", "check-config", join(dir, "alertmanager.yml"))).toMatch(/SUCCESS[\s\S]*3 inhibit rules[\s\S]*3 receivers/);
      expect(block).toContain('target_matchers: [alertname="ClawpatrolRouteDown"]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the Grafana fleet dashboard", () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, "utf8")) as {
    templating: { list: { name: string; definition?: string }[] };
    panels: { title: string; targets: { expr: string }[] }[];
  };

  it("uses only metric names that docs/metrics.md lists", () => {
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs.length).toBe(dashboard.panels.length);
    for (const p of dashboard.panels) {
      for (const t of p.targets) {
        const names = metricNames(t.expr);
        expect({ panel: p.title, names: names.length > 0 }).toEqual({ panel: p.title, names: true });
        expect({ panel: p.title, undocumented: names.filter((n) => !documented().has(n)) }).toEqual({ panel: p.title, undocumented: [] });
      }
    }
  });

  it("is keyed on instance: a host picker, and every panel filtered by it", () => {
    const picker = dashboard.templating.list.find((v) => v.name === "instance");
    expect(picker?.definition).toBe("label_values(clawpatrol_info, instance)");
    for (const p of dashboard.panels) for (const t of p.targets) expect({ panel: p.title, filtered: t.expr.includes('instance=~"$instance"') }).toEqual({ panel: p.title, filtered: true });
  });
});
