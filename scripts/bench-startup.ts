// Benchmark: how fast a one-shot command answers. Runs the built CLI as a user would
// (`clawpatrol check --offline` on the seed-000 sandbox) under /usr/bin/time, several times, and
// prints the median wall time and peak RSS beside bare Node (`node -e 0`, the floor).
// Target: ≤ 0.4 s wall and ≤ 80 MB peak RSS.
//   node dist/scripts/bench-startup.js [--json] [--runs N]
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSeedSandbox } from "../src/demo/seed-sandbox.js";
import { cachedOpenClawEntry } from "../src/sandbox/openclaw-cli.js";

const args = process.argv.slice(2);
const asJson = args.includes("--json");
const runsArg = args.indexOf("--runs");
const RUNS = runsArg >= 0 ? Math.max(1, Number(args[runsArg + 1]) || 7) : 7;
// The installed executable (bin: clawpatrol.js), as a user runs it.
const CLI = join(fileURLToPath(new URL(".", import.meta.url)), "..", "src", "cli", "clawpatrol.js");
const TIME = "/usr/bin/time";

interface Sample {
  wallMs: number;
  /** user + system CPU: steadier than wall time on a busy machine. */
  cpuMs: number;
  peakRssMb: number;
  exit: number | null;
}

function measure(argv: string[], env: NodeJS.ProcessEnv): Sample {
  const r = spawnSync(TIME, ["-f", "__TIME__ %e %M %U %S", process.execPath, ...argv], { encoding: "utf8", env, timeout: 60_000 });
  const t = /__TIME__ ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(r.stderr ?? "");
  if (!t) return { wallMs: NaN, cpuMs: NaN, peakRssMb: NaN, exit: r.status };
  return { wallMs: Math.round(Number(t[1]) * 1000), cpuMs: Math.round((Number(t[3]) + Number(t[4])) * 1000), peakRssMb: Math.round(Number(t[2]) / 1024), exit: r.status };
}

const median = (values: number[]): number => {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.floor((v.length - 1) / 2)]!;
};

interface Series {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  exits: (number | null)[];
  samples: Sample[];
}

function summary(samples: Sample[]): Series {
  const m = (f: (s: Sample) => number) => median(samples.map(f));
  return { wallMs: m((s) => s.wallMs), cpuMs: m((s) => s.cpuMs), peakRssMb: m((s) => s.peakRssMb), exits: [...new Set(samples.map((s) => s.exit))], samples };
}

if (!existsSync(TIME)) {
  process.stderr.write(`bench-startup: needs ${TIME} (GNU time) for peak RSS\n`);
  process.exit(2);
}
// The provider URL is never contacted: --offline sends nothing.
const seed = buildSeedSandbox({ providerUrl: "http://127.0.0.1:9", gatewayPort: 9, now: Date.now() });
try {
  const env = { PATH: "/usr/bin:/bin", HOME: seed.home, XDG_STATE_HOME: join(seed.home, "xdg-state"), XDG_CONFIG_HOME: join(seed.home, "xdg-config"), NO_COLOR: "1", TZ: "UTC" };
  // Interleaved, so a burst of load elsewhere hits both series alike.
  const bareSamples: Sample[] = [];
  const checkSamples: Sample[] = [];
  // As on a real host: an npm-installed openclaw on PATH (its version is read, not asked for).
  const entry = cachedOpenClawEntry("2026.9.6");
  const cliEnv = entry ? { ...env, PATH: `${join(dirname(dirname(entry)), ".bin")}:${dirname(process.execPath)}:${env.PATH}` } : null;
  const withCliSamples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    bareSamples.push(measure(["-e", "0"], env));
    checkSamples.push(measure([CLI, "check", "--offline", "--state-dir", seed.stateDir], env));
    if (cliEnv) withCliSamples.push(measure([CLI, "check", "--offline", "--state-dir", seed.stateDir], cliEnv));
  }
  const bare = summary(bareSamples);
  const check = summary(checkSamples);
  const withCli = withCliSamples.length ? summary(withCliSamples) : null;
  const line = (name: string, s: Series) =>
    `${name.padEnd(40)} wall ${String(s.wallMs).padStart(5)} ms  cpu ${String(s.cpuMs).padStart(5)} ms  peak RSS ${String(s.peakRssMb).padStart(3)} MB  exit ${s.exits.join("/")}`;
  if (asJson) {
    process.stdout.write(`${JSON.stringify({ runs: RUNS, bareNode: bare, checkOffline: check, ...(withCli ? { checkOfflineWithOpenClaw: withCli } : {}), target: { wallMs: 400, peakRssMb: 80 } })}\n`);
  } else {
    const cliLine = withCli ? `${line("  … with openclaw 2026.9.6 on PATH", withCli)}\n` : "";
    process.stdout.write(`median of ${RUNS} runs each\n${line("node -e 0 (floor)", bare)}\n${line("clawpatrol check --offline (seed-000)", check)}\n${cliLine}target: ≤ 400 ms, ≤ 80 MB\n`);
  }
} finally {
  seed.dispose();
}
