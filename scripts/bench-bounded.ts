// Benchmark: an oversized openclaw.json (20, 50, 200 MB — a config with tens of thousands of
// agents, or something appended by mistake) must be reported, not parsed. Runs the built CLI as a
// user would (`check --offline --json`, `explain`, `accept`) under /usr/bin/time and prints wall
// time, peak RSS and the exit code. Target: 200 MB → a finding in < 1 s with peak RSS < 150 MB.
//   node dist/scripts/bench-bounded.js [--json] [--sizes 20,50,200]
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readInstallation } from "../src/openclaw/installation.js";

const args = process.argv.slice(2);
const asJson = args.includes("--json");
const sizesArg = args.indexOf("--sizes");
const SIZES_MB = (sizesArg >= 0 ? args[sizesArg + 1]! : "20,50,200").split(",").map(Number).filter((n) => n > 0);
const CLI = join(fileURLToPath(new URL(".", import.meta.url)), "..", "src", "cli", "main.js");
const TIME = "/usr/bin/time";

const log = (s: string): void => {
  if (!asJson) process.stdout.write(`${s}\n`);
};

/** A syntactically valid openclaw.json of about `mb` MB: many agents, as a runaway generator would write. */
function writeHugeConfig(file: string, mb: number): number {
  const fd = openSync(file, "w");
  let bytes = 0;
  const put = (s: string) => (bytes += writeSync(fd, s));
  put(`{"gateway":{"mode":"local","port":18789},"agents":{"defaults":{"model":"openrouter/auto"},"entries":{`);
  const target = mb * 1024 * 1024;
  for (let i = 0; bytes < target; i++) {
    const chunk: string[] = [];
    for (let j = 0; j < 1000; j++) chunk.push(`${i || j ? "," : ""}"agent-${i * 1000 + j}":{"name":"Agent ${i * 1000 + j}","model":"openrouter/moonshotai/kimi-k2.5"}`);
    put(chunk.join(""));
  }
  put(`}}}\n`);
  closeSync(fd);
  return bytes;
}

/** In this process, without Node start-up: the adapter's read of the installation. */
async function adapterMs(home: string): Promise<{ ms: number; issue: string }> {
  const t0 = performance.now();
  const inst = await readInstallation({ stateDir: join(home, ".openclaw"), home, env: {} });
  return { ms: Math.round((performance.now() - t0) * 10) / 10, issue: inst.issues[0]?.message.slice(0, 120) ?? "" };
}

interface Measured {
  command: string;
  sizeMb: number;
  wallMs: number;
  peakRssMb: number;
  exit: number | null;
  firstLine: string;
}

function measure(command: string[], home: string, sizeMb: number): Measured {
  const r = spawnSync(TIME, ["-f", "__TIME__ %e %M", process.execPath, CLI, ...command, "--state-dir", join(home, ".openclaw")], {
    encoding: "utf8",
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: "/usr/bin:/bin", HOME: home, XDG_STATE_HOME: join(home, "xdg-state"), NO_COLOR: "1", TZ: "UTC" },
  });
  const timeLine = /__TIME__ ([\d.]+) (\d+)/.exec(r.stderr ?? "");
  const text = `${r.stdout ?? ""}\n${(r.stderr ?? "").replace(/__TIME__.*\n?/, "")}`;
  const first = text.split("\n").find((l) => /openclaw\.json/.test(l)) ?? text.trim().split("\n")[0] ?? "";
  return {
    command: command.join(" "),
    sizeMb,
    wallMs: timeLine ? Math.round(Number(timeLine[1]) * 1000) : NaN,
    peakRssMb: timeLine ? Math.round(Number(timeLine[2]) / 1024) : NaN,
    exit: r.status,
    firstLine: first.trim().slice(0, 160),
  };
}

if (!existsSync(TIME)) {
  process.stderr.write(`bench-bounded: needs ${TIME} (GNU time) for peak RSS\n`);
  process.exit(2);
}
const results: Measured[] = [];
const adapter: { sizeMb: number; ms: number }[] = [];
// Reference: the same commands on a KB-sized config (Node start-up and module loading).
for (const mb of [0, ...SIZES_MB]) {
  const home = mkdtempSync(join(tmpdir(), "cp-bench-bounded-"));
  try {
    mkdirSync(join(home, ".openclaw"), { recursive: true });
    const bytes = writeHugeConfig(join(home, ".openclaw", "openclaw.json"), mb);
    log(mb ? `openclaw.json of ${(bytes / 1024 / 1024).toFixed(0)} MiB:` : `reference: a ${bytes}-byte openclaw.json:`);
    const a = await adapterMs(home);
    adapter.push({ sizeMb: mb, ms: a.ms });
    log(`  readInstallation (in process)  ${a.ms} ms  ${a.issue}`);
    for (const command of [["check", "--offline", "--json"], ["explain"], ["accept"]]) {
      const m = measure(command, home, mb);
      results.push(m);
      log(`  ${m.command.padEnd(24)} ${String(m.wallMs).padStart(6)} ms  peak RSS ${String(m.peakRssMb).padStart(4)} MB  exit ${m.exit}  ${m.firstLine}`);
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
const biggest = results.filter((r) => r.sizeMb === Math.max(...SIZES_MB));
const reference = results.filter((r) => r.sizeMb === 0);
const worst = { wallMs: Math.max(...biggest.map((r) => r.wallMs)), peakRssMb: Math.max(...biggest.map((r) => r.peakRssMb)) };
const overStartup = Math.max(...biggest.map((r) => r.wallMs - (reference.find((x) => x.command === r.command)?.wallMs ?? 0)));
const adapterBiggest = adapter.find((a) => a.sizeMb === Math.max(...SIZES_MB))?.ms ?? NaN;
log(`largest file (${Math.max(...SIZES_MB)} MB): the adapter reports it in ${adapterBiggest} ms; worst wall ${worst.wallMs} ms, ${overStartup} ms above the KB-config reference (target < 1000); worst peak RSS ${worst.peakRssMb} MB (target < 150)`);
if (asJson) process.stdout.write(`${JSON.stringify({ results, adapter, worst: { ...worst, overStartupMs: overStartup, adapterMs: adapterBiggest } })}\n`);
