// Differential verifier: OpenClaw's own CLI is the oracle for what clawpatrol says about an install.
//
//   npm run verify:openclaw [-- --versions 2026.9.6,2026.5.28 --cases 40 --seed 1 --out docs/COMPATIBILITY.md]
//   (--only 4,9 re-runs just those case numbers of the seed, e.g. to re-check a fixed disagreement)
//
// Per version (one after another, never two OpenClaw at once): generate seeded installs
// (scripts/verify/scenario.ts), build each with the real CLI and compare every agent
// (scripts/verify/run-install.ts). Prints a version × field table and writes it, with a minimal
// reproduction of each disagreement, to docs/COMPATIBILITY.md. Exit 1 on any disagreement or leak.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cachedOpenClawEntry } from "../src/sandbox/openclaw-cli.js";
import { generateScenario } from "./verify/scenario.js";
import { runInstall, type InstallOutcome } from "./verify/run-install.js";
import { FIELDS, INSTALL_FIELDS, type Field, type InstallField } from "../src/openclaw/oracle-compare.js";

const DEFAULT_VERSIONS = ["2026.5.28", "2026.6.1", "2026.6.35", "2026.7.35", "2026.8.2", "2026.9.6"];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

interface VersionReport {
  version: string;
  installed: boolean;
  outcomes: InstallOutcome[];
  seconds: number;
}

type Counts = { agree: number; disagree: number; notReported: number };
const ALL_FIELDS = [...FIELDS, ...INSTALL_FIELDS] as const;

export function tally(outcomes: InstallOutcome[]): Record<Field | InstallField, Counts> {
  const t = Object.fromEntries(ALL_FIELDS.map((f) => [f, { agree: 0, disagree: 0, notReported: 0 }])) as Record<Field | InstallField, Counts>;
  for (const o of outcomes) for (const r of [...o.agents.flatMap((a) => a.results), ...o.install]) {
    if (r.verdict === "agree") t[r.field].agree++;
    else if (r.verdict === "disagree") t[r.field].disagree++;
    else t[r.field].notReported++;
  }
  return t;
}

/** Installs whose every agent was compared with `models status` (neither skipped nor refused). */
const compared = (o: InstallOutcome) => !o.skipped && !o.refused;

function table(reports: VersionReport[]): string {
  const head = `| version | installs compared / refused / skipped | agents | ${ALL_FIELDS.join(" | ")} | CLI calls, avg s |`;
  const sep = `|${"---|".repeat(ALL_FIELDS.length + 4)}`;
  const rows = reports.map((r) => {
    if (!r.installed) return `| ${r.version} | not installed | | ${ALL_FIELDS.map(() => "").join(" | ")} | |`;
    const built = r.outcomes.filter((o) => !o.skipped);
    const t = tally(built);
    const calls = r.outcomes.reduce((n, o) => n + o.cliCalls, 0);
    const ms = r.outcomes.reduce((n, o) => n + o.cliMs, 0);
    const cell = (f: Field | InstallField) => `${t[f].agree}✓ ${t[f].disagree ? `**${t[f].disagree}✗**` : "0✗"}${t[f].notReported ? ` ${t[f].notReported}–` : ""}`;
    const refused = built.filter((o) => o.refused).length;
    return `| ${r.version} | ${built.length - refused} / ${refused} / ${r.outcomes.length - built.length} | ${built.reduce((n, o) => n + o.agents.length, 0)} | ${ALL_FIELDS.map(cell).join(" | ")} | ${calls}, ${calls ? (ms / calls / 1000).toFixed(1) : "-"} |`;
  });
  return [head, sep, ...rows].join("\n");
}

/** Why installs were refused or skipped, per version (reasons counted, OpenClaw's words). */
function reasons(reports: VersionReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    const counts = new Map<string, number>();
    for (const o of r.outcomes) {
      const why = o.skipped ? `skipped: ${o.skipped.slice(0, 160)}` : o.refused ? `models status refused: ${o.refused.replace(/ \(Gateway not reachable.*$/, " (gateway not running)")}` : null;
      if (why) counts.set(why, (counts.get(why) ?? 0) + 1);
    }
    for (const [why, n] of counts) lines.push(`- ${r.version}: ${n} × ${why}`);
    const turns = r.outcomes.filter((o) => o.scenario.failingTurn && !o.skipped);
    if (turns.length) lines.push(`- ${r.version}: ${turns.length} install(s) with a real failing \`agent --local\` turn (fake provider answering ${[...new Set(turns.map((o) => o.scenario.failingTurn!.status))].join("/")}; chat requests it saw: ${turns.map((o) => o.turnRequests ?? 0).join(", ")})`);
  }
  return lines.length ? lines.join("\n") : "- none";
}

function repros(reports: VersionReport[]): string[] {
  const out: string[] = [];
  for (const r of reports) for (const o of r.outcomes) for (const a of [...o.agents, { agent: "(install-wide)", results: o.install, openclaw: undefined }]) for (const x of a.results) {
    if (x.verdict !== "disagree") continue;
    out.push(`### ${r.version} · ${o.scenario.id} · agent ${a.agent} · ${x.field}\n\nopenclaw: \`${JSON.stringify(x.openclaw)}\` — clawpatrol: \`${JSON.stringify(x.clawpatrol)}\`\n\n` +
      (a.openclaw ? `models status said: \`${JSON.stringify(a.openclaw)}\`\n\n` : "") +
      "```json\n" + JSON.stringify(o.scenario.config, null, 1) + "\n```\n" + (o.scenario.dotenv ? "`.env`:\n```\n" + o.scenario.dotenv + "```\n" : "") +
      (o.scenario.paste.length ? `then: ${o.scenario.paste.map((p) => `\`openclaw models auth --agent ${p.agent} ${p.kind === "token" ? "paste-token" : "paste-api-key"} --provider ${p.provider} --profile-id ${p.profileId}\``).join(", ")}\n` : "") +
      (o.scenario.failingTurn ? `then: a real \`openclaw agent --local --agent ${o.scenario.failingTurn.agent} --message hi\` with models.providers.mock.baseUrl on a loopback fake answering ${o.scenario.failingTurn.status}\n` : "") +
      (o.scenario.order.length ? `then: ${o.scenario.order.map((x) => `\`openclaw models auth order set --agent ${x.agent} --provider ${x.provider} ${x.profileIds.join(" ")}\``).join(", ")}\n` : ""));
  }
  return out;
}

async function main(): Promise<void> {
  const versions = arg("versions", DEFAULT_VERSIONS.join(",")).split(",").map((v) => v.trim()).filter(Boolean);
  const cases = Number(arg("cases", "40"));
  const seed = Number(arg("seed", "1"));
  const outFile = arg("out", join(process.cwd(), "docs", "COMPATIBILITY.md"));
  const only = arg("only", "").split(",").filter(Boolean).map(Number);
  // Without --only, keep generating past `cases` until that many installs were compared agent by
  // agent (installs OpenClaw refuses or that cannot be built are counted apart), at most 2 × cases.
  const indices = only.length ? only : Array.from({ length: cases * 2 }, (_, i) => i);
  const reports: VersionReport[] = [];
  for (const version of versions) {
    const entry = cachedOpenClawEntry(version);
    const report: VersionReport = { version, installed: !!entry, outcomes: [], seconds: 0 };
    reports.push(report);
    if (!entry) {
      console.log(`${version}: not installed (${cachedOpenClawEntry.name} found no openclaw.mjs; see test/e2e/global-setup.mjs)`);
      continue;
    }
    const t0 = Date.now();
    for (const i of indices) {
      if (!only.length && report.outcomes.filter(compared).length >= cases) break;
      const o = await runInstall(entry, generateScenario(version, seed, i));
      report.outcomes.push(o);
      const bad = o.agents.flatMap((a) => a.results.filter((r) => r.verdict === "disagree").map((r) => `${a.agent}.${r.field}`));
      for (const a of o.agents) if (a.results.some((r) => r.verdict === "disagree")) console.log(`  ${a.agent}: ${JSON.stringify(a.results.filter((r) => r.verdict === "disagree"))} · models status: ${JSON.stringify(a.openclaw)}`);
      bad.push(...o.install.filter((r) => r.verdict === "disagree").map((r) => `install.${r.field}`));
      for (const r of o.install) if (r.verdict === "disagree") console.log(`  install-wide: ${JSON.stringify(r)}`);
      const what = o.skipped ? `skipped (${o.skipped.slice(0, 160)})` : `${o.refused ? `models status refused (${o.refused.slice(0, 100)}); ` : `${o.agents.length} agents, `}${bad.length ? `DISAGREE ${bad.join(" ")}` : "agree"}`;
      console.log(`${version} ${o.scenario.id}: ${what}${o.leaks.length ? " LEAK" : ""} · ${o.cliCalls} CLI calls ${(o.cliMs / 1000).toFixed(0)} s`);
    }
    report.seconds = (Date.now() - t0) / 1000;
  }
  const t = table(reports);
  console.log("\n" + t);
  const leaks = reports.flatMap((r) => r.outcomes.flatMap((o) => o.leaks.map(() => `${r.version} ${o.scenario.id}`)));
  const rp = repros(reports);
  const doc = `# OpenClaw compatibility (generated by \`npm run verify:openclaw\`)\n\n` +
    `Seed ${seed}, ${only.length ? `cases ${only.join(", ")}` : `${cases} generated installs`} per version, several agents each. For every agent, \`openclaw models status --json --agent ID\` ` +
    `(the real CLI of that version, offline, scratch HOME) is compared with clawpatrol's reading of the same state dir ` +
    `(the Installation \`clawpatrol explain --json\` prints). Installs are written as openclaw.json and proven by the real ` +
    `\`openclaw config validate\`; auth profiles are pasted with \`openclaw models auth --agent X paste-api-key\`.\n\n` +
    `Cells: agreed ✓ / disagreed ✗ / – not reported by that version (e.g. OpenClaw lists no effective source for a provider).\n` +
    `Installs: compared = every agent compared with \`models status\`; refused = OpenClaw's \`models status\` refuses to run on that install ` +
    `(compared install-wide only: status-refused, and \`secrets audit --json\`); skipped = could not be built (reasons below). ` +
    `Generation continues past --cases until that many installs were compared.\n`+
    `Fields: primary and fallbacks (effective route), origin (agent override vs agents.defaults), missing (route providers with no credential), ` +
    `winner-kind (profiles / env / models.json / synthetic), winner-key (same key, compared by OpenClaw's own mask), ` +
    `winner-profile (first of OpenClaw's effectiveProfiles vs clawpatrol's winning profile), unusable (OpenClaw's unusableProfiles vs profiles clawpatrol sees in cooldown/disabled); ` +
    `install-wide: status-refused (does \`models status\` refuse, as clawpatrol's config.missing-var finding predicts for the version), ` +
    `unresolved-refs and plaintext (\`secrets audit --json\` REF_UNRESOLVED / PLAINTEXT_FOUND at models.providers.*.apiKey vs clawpatrol's config.missing-var / secret.plaintext).\n\n` +
    t + "\n\nRefused and skipped installs:\n\n" + reasons(reports) + "\n\n" + `Leaks of a raw key into what clawpatrol prints (explain, check findings, check text): ${leaks.length}.\n\n` +
    (rp.length ? `## Disagreements (minimal reproductions)\n\n${rp.slice(0, 30).join("\n")}${rp.length > 30 ? `\n…and ${rp.length - 30} more\n` : ""}` : "## Disagreements\n\nNone.\n");
  writeFileSync(outFile, doc);
  console.log(`\nwrote ${outFile}`);
  process.exitCode = rp.length || leaks.length ? 1 : 0;
}

await main();
