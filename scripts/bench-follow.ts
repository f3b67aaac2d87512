// Benchmark of the run monitor's followers.
//   1. Detection latency: a transcript row / log line is written → fs.watch fires → poll() →
//      findings(now) holds the finding. Daemon mode (event-driven polls), p50/p95.
//   2. Follower throughput on a big gateway log (1 GB; --quick 100 MB), with the daemon's byte
//      pre-filter and with every line parsed.
//   3. Steady state: bytes read per poll vs bytes appended.
// Usage: node dist/scripts/bench-follow.js [--quick] [--json]
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, openSync, closeSync, writeSync, rmSync, statSync, watch, type FSWatcher } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { LogFollower } from "../src/watch/log-follower.js";
import { CursorStore } from "../src/watch/cursor-store.js";
import { RunWatcher } from "../src/watch/run-watcher.js";
import { logLocation, lineOfInterest } from "../src/openclaw/gateway-log.js";
import { buildInstallation } from "../src/fake/installation.js";

const args = new Set(process.argv.slice(2));
const QUICK = args.has("--quick");
const JSON_OUT = args.has("--json");
const BIG_BYTES = (QUICK ? 100 : 1024) * 1024 * 1024;
const LATENCY_ROUNDS = QUICK ? 10 : 30;

const say = (s: string) => {
  if (!JSON_OUT) process.stdout.write(s + "\n");
};

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function logLine(text: string, at = new Date()): string {
  const iso = at.toISOString();
  return JSON.stringify({ "0": '{"subsystem":"agent/embedded"}', "1": text, _meta: { runtime: "node", runtimeVersion: "24.21.0", hostname: "vm", date: iso, logLevelId: 4, logLevelName: "WARN", name: '{"subsystem":"agent/embedded"}', parentNames: ["openclaw"] }, time: iso, hostname: "vm", message: text, traceId: "2b99197686c9a9f79b196d223e48d3f8", spanId: "6111cc36d9470da7", traceFlags: "01" }) + "\n";
}

const NOISE = [
  "tool-search: cataloged 52 tools behind compact prompt surface",
  "slow SQLite session write {\"agentId\":\"main\",\"operation\":\"session.entry-replacements\",\"elapsedMs\":5580,\"queueWaitMs\":5539}",
  "database integrity verification passed",
  "⇄ res ✓ agent 1323ms runId=01d6edd5-6ecb-440b-ba22-01a588d28e45 conn=80640405…305b id=2:b0d172af-e…e4fe",
  "memory_index_chunks_vec not updated — semantic vector embeddings unavailable — no vector dimensions resolved.",
];

// ───────────── 1. latency ─────────────

const FIX = resolve(process.cwd(), "test/fixtures/runs/oc-2026.9.6");

async function latency(): Promise<{ log: number[]; transcript: number[] }> {
  const state = mkdtempSync(join(tmpdir(), "clawpatrol-bench-lat-"));
  const agentDir = join(state, "agents", "empty", "agent");
  mkdirSync(agentDir, { recursive: true });
  cpSync(join(FIX, "agents", "empty", "agent", "openclaw-agent.sqlite"), join(agentDir, "openclaw-agent.sqlite"));
  const logDir = join(state, "logs");
  mkdirSync(logDir);
  const logFile = join(logDir, "openclaw.log");
  appendFileSync(logFile, logLine("gateway ready"));
  const inst = buildInstallation({ stateDir: state, agents: [{ id: "empty", models: ["mock/mock-empty"], credentials: {} }], gateway: { logFile } });
  const watcher = new RunWatcher(inst, { cursorPath: join(state, "cp", "cursors.json"), startAt: "end", logLocation: logLocation({ logFile }) });
  await watcher.poll();
  const writer = new DatabaseSync(join(agentDir, "openclaw-agent.sqlite"), { enableForeignKeyConstraints: false });
  const sid = "39b9c87d-cf85-481f-9ef8-a85b09129b08";
  const insert = writer.prepare("INSERT INTO transcript_events (session_id, seq, event_json, created_at) VALUES (?, ?, ?, ?)");
  let seq = 100;

  // Daemon mode: fs.watch → coalesced poll → findings.
  let waiting: { runId: string; t0: number; done: (ms: number) => void } | null = null;
  let running = false;
  let again = false;
  const pollNow = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    do {
      again = false;
      await watcher.poll();
      const w = waiting;
      if (w && watcher.findings().some((f) => f.kind === "run.empty-reply" && f.evidence?.runId === w.runId)) {
        waiting = null;
        w.done(performance.now() - w.t0);
      }
    } while (again);
    running = false;
  };
  const watchers: FSWatcher[] = [watch(logDir, () => void pollNow()), watch(agentDir, () => void pollNow())];
  const measure = (runId: string, write: () => void) =>
    new Promise<number>((resolveMs, reject) => {
      const timer = setTimeout(() => reject(new Error(`no finding for ${runId} within 10 s`)), 10_000);
      waiting = { runId, t0: performance.now(), done: (ms) => { clearTimeout(timer); resolveMs(ms); } };
      write();
    });
  const clear = async (k: number) => {
    // A visible reply on the route resolves the finding before the next round.
    insert.run(sid, seq++, JSON.stringify({ type: "message", timestamp: new Date().toISOString(), message: { role: "assistant", content: [{ type: "text", text: `ok ${k}` }], provider: "mock", model: "mock-empty", stopReason: "stop", __openclaw: { runId: `ok-${k}` } } }), Date.now());
    await new Promise((r) => setTimeout(r, 30));
    await pollNow();
  };
  const out = { log: [] as number[], transcript: [] as number[] };
  for (let k = 0; k < LATENCY_ROUNDS; k++) {
    const runT = `bench-t-${k}`;
    out.transcript.push(await measure(runT, () => insert.run(sid, seq++, JSON.stringify({ type: "message", timestamp: new Date().toISOString(), message: { role: "assistant", content: [], provider: "mock", model: "mock-empty", stopReason: "stop", __openclaw: { runId: runT } } }), Date.now())));
    await clear(k);
    const runL = `bench-l-${k}`;
    out.log.push(await measure(runL, () => appendFileSync(logFile, logLine(`incomplete turn detected: runId=${runL} sessionId=${sid} provider=mock/mock-empty stopReason=stop payloads=0 — surfacing error to user`))));
    await clear(k + 1000);
  }
  for (const w of watchers) w.close();
  writer.close();
  watcher.close();
  rmSync(state, { recursive: true, force: true });
  return out;
}

// ───────────── 2. throughput ─────────────

function writeBigLog(path: string, bytes: number): number {
  const fd = openSync(path, "w");
  const block: string[] = [];
  const t = new Date("2026-11-21T12:00:00Z");
  for (let i = 0; i < 2000; i++) {
    // One signal line in 500, like a busy gateway with occasional provider errors.
    block.push(i % 500 === 0 ? logLine(`[model-fetch] response provider=openrouter api=openai-completions model=auto status=429 elapsedMs=${i}`, t) : logLine(NOISE[i % NOISE.length]!, t));
  }
  const buf = Buffer.from(block.join(""));
  let written = 0;
  while (written < bytes) written += writeSync(fd, buf);
  closeSync(fd);
  return written;
}

async function throughput(path: string, prefilter: boolean): Promise<{ mbps: number; seconds: number; events: number; bytes: number; rssMB: number }> {
  const f = new LogFollower({ location: logLocation({ logFile: path }), cursors: new CursorStore(null), startAt: "start", ...(prefilter ? { wanted: lineOfInterest } : {}) });
  const t0 = performance.now();
  let events = 0;
  let rss = 0;
  // Polls are bounded (64 MB each by default); a backlog takes several, events are consumed as they come.
  do {
    events += (await f.poll()).length;
    rss = Math.max(rss, process.memoryUsage().rss);
  } while (f.behind);
  const seconds = (performance.now() - t0) / 1000;
  return { mbps: f.stats.bytesRead / 1024 / 1024 / seconds, seconds, events, bytes: f.stats.bytesRead, rssMB: Math.round(rss / 1024 / 1024) };
}

// ───────────── 3. steady state ─────────────

async function steady(dir: string): Promise<{ appended: number; read: number; polls: number }> {
  const path = join(dir, "steady.log");
  appendFileSync(path, logLine("history"));
  const f = new LogFollower({ location: logLocation({ logFile: path }), cursors: new CursorStore(null), startAt: "end", wanted: lineOfInterest });
  await f.poll();
  const before = f.stats.bytesRead;
  let appended = 0;
  for (let i = 0; i < 200; i++) {
    const chunk = logLine(NOISE[i % NOISE.length]!) + (i % 10 === 0 ? logLine(`[model-fetch] response provider=p api=x model=m status=401 elapsedMs=${i}`) : "");
    appendFileSync(path, chunk);
    appended += Buffer.byteLength(chunk);
    await f.poll();
    await f.poll(); // an idle poll reads nothing
  }
  return { appended, read: f.stats.bytesRead - before, polls: 400 };
}

async function main(): Promise<void> {
  say(`bench-follow${QUICK ? " (quick)" : ""}`);
  const lat = await latency();
  const all = [...lat.transcript, ...lat.log].sort((a, b) => a - b);
  const tSorted = [...lat.transcript].sort((a, b) => a - b);
  const lSorted = [...lat.log].sort((a, b) => a - b);
  say(`detection latency (fs.watch → poll → finding), ${all.length} samples: p50 ${pct(all, 50).toFixed(1)} ms, p95 ${pct(all, 95).toFixed(1)} ms, max ${all[all.length - 1]!.toFixed(1)} ms`);
  say(`  transcript row → run.empty-reply: p50 ${pct(tSorted, 50).toFixed(1)} ms, p95 ${pct(tSorted, 95).toFixed(1)} ms`);
  say(`  log line       → run.empty-reply: p50 ${pct(lSorted, 50).toFixed(1)} ms, p95 ${pct(lSorted, 95).toFixed(1)} ms`);

  const dir = mkdtempSync(join(tmpdir(), "clawpatrol-bench-follow-"));
  try {
    const big = join(dir, "big.log");
    const size = writeBigLog(big, BIG_BYTES);
    say(`big log: ${(size / 1024 / 1024).toFixed(0)} MB written (${statSync(big).size} bytes)`);
    const filtered = await throughput(big, true);
    say(`throughput, daemon pre-filter: ${filtered.mbps.toFixed(0)} MB/s (${filtered.seconds.toFixed(2)} s, ${filtered.events} signal events, rss ${filtered.rssMB} MB)`);
    const full = await throughput(big, false);
    say(`throughput, every line parsed: ${full.mbps.toFixed(0)} MB/s (${full.seconds.toFixed(2)} s, ${full.events} events, rss ${full.rssMB} MB)`);
    const st = await steady(dir);
    say(`steady state: ${st.read} bytes read for ${st.appended} bytes appended over ${st.polls} polls (ratio ${(st.read / st.appended).toFixed(3)})`);
    const result = {
      bench: "follow",
      quick: QUICK,
      latencyMs: { p50: pct(all, 50), p95: pct(all, 95), max: all[all.length - 1], samples: all.length, transcriptP50: pct(tSorted, 50), logP50: pct(lSorted, 50), targetP50: 1000 },
      throughput: { bytes: size, prefilterMBps: filtered.mbps, fullParseMBps: full.mbps, targetMBps: 100, rssMB: Math.max(filtered.rssMB, full.rssMB) },
      steadyState: { appended: st.appended, read: st.read, ratio: st.read / st.appended },
    };
    if (JSON_OUT) process.stdout.write(JSON.stringify(result) + "\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench-follow failed: ${(err as Error).message}\n`);
  process.exit(1);
});
