import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { appendFileSync, cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { zstdCompressSync } from "node:zlib";
import { AgentTranscriptFollower } from "../../src/watch/transcript-follower.js";
import { CursorStore } from "../../src/watch/cursor-store.js";
import { buildInstallation } from "../../src/fake/installation.js";
import { runFindingSource } from "../../src/watch/run-watcher.js";
import { logLocation } from "../../src/openclaw/gateway-log.js";

const FIX = join(process.cwd(), "test/fixtures/runs/oc-2026.9.6");
let state: string;

beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), "clawpatrol-tf-"));
});
afterEach(() => rmSync(state, { recursive: true, force: true }));

function agentDir(agent: string): string {
  const dir = join(state, "agents", agent, "agent");
  mkdirSync(dir, { recursive: true });
  cpSync(join(FIX, "agents", agent, "agent", "openclaw-agent.sqlite"), join(dir, "openclaw-agent.sqlite"));
  return dir;
}

/** A writer connection like OpenClaw's own (the follower's stays read-only). */
function writer(dir: string): DatabaseSync {
  return new DatabaseSync(join(dir, "openclaw-agent.sqlite"), { enableForeignKeyConstraints: false });
}

function appendEvent(db: DatabaseSync, sessionId: string, entry: unknown, opts: { zstd?: boolean; at?: number } = {}): void {
  const seq = (db.prepare("SELECT coalesce(max(seq), -1) + 1 AS s FROM transcript_events WHERE session_id = ?").get(sessionId) as { s: number }).s;
  const json = JSON.stringify(entry);
  const at = opts.at ?? Date.now();
  if (opts.zstd) {
    // A real navigation_json (required with event_zstd by the schema's CHECK), from the main agent's zstd row.
    const src = new DatabaseSync(join(FIX, "agents", "main", "agent", "openclaw-agent.sqlite"), { readOnly: true });
    const nav = (src.prepare("SELECT navigation_json FROM transcript_events WHERE navigation_json IS NOT NULL LIMIT 1").get() as { navigation_json: string }).navigation_json;
    src.close();
    db.prepare("INSERT INTO transcript_events (session_id, seq, event_json, created_at, event_zstd, event_utf8_bytes, navigation_json) VALUES (?, ?, NULL, ?, ?, ?, ?)")
      .run(sessionId, seq, at, zstdCompressSync(Buffer.from(json)), Buffer.byteLength(json), nav);
  } else {
    db.prepare("INSERT INTO transcript_events (session_id, seq, event_json, created_at) VALUES (?, ?, ?, ?)").run(sessionId, seq, json, at);
  }
}

const assistant = (text: string, extra: Record<string, unknown> = {}) => ({
  type: "message", id: `m${Math.random()}`, timestamp: new Date().toISOString(),
  message: { role: "assistant", content: text ? [{ type: "text", text }] : [], provider: "mock", model: "mock-ok", stopReason: "stop", __openclaw: { runId: `run-${text || "empty"}` }, ...extra },
});

describe("SQLite transcript follower (real 2026.9.6 agent DBs)", () => {
  it("reads the real rows: the 401 turn, its session key and the run state", async () => {
    const f = new AgentTranscriptFollower({ agent: "bad", agentDir: agentDir("bad"), cursors: new CursorStore(null), startAt: "start" });
    const r = await f.poll();
    expect(f.era).toBe("sqlite");
    const turn = r.records.find((x) => x.role === "assistant")!;
    expect(turn).toMatchObject({ agent: "bad", sessionKey: "agent:bad:main", provider: "mockbad", model: "mock-ok", stopReason: "error", visibleText: "", runId: "c67209ed-c9e1-4874-b7d1-44faa8743589" });
    expect(turn.errorMessage).toMatch(/^401 Incorrect API key/);
    expect(r.sessions).toEqual([expect.objectContaining({ sessionKey: "agent:bad:main", status: "failed" })]);
    f.close();
  });

  it("decodes zstd-compressed rows", async () => {
    const f = new AgentTranscriptFollower({ agent: "main", agentDir: agentDir("main"), cursors: new CursorStore(null), startAt: "start" });
    const r = await f.poll();
    const long = r.records.find((x) => x.role === "assistant" && x.visibleText.startsWith("long answer"));
    expect(long).toBeDefined();
    expect(r.problems).toEqual([]);
    f.close();
  });

  it("sees the hung run as running with its start time and last progress", async () => {
    const f = new AgentTranscriptFollower({ agent: "hang", agentDir: agentDir("hang"), cursors: new CursorStore(null), startAt: "start" });
    const r = await f.poll();
    expect(r.sessions).toEqual([expect.objectContaining({ sessionKey: "agent:hang:main", status: "running", startedAt: 1795270525450, queued: 0, lastProgressAt: 1795270525650 })]);
    expect(r.records.find((x) => x.role === "other")).toMatchObject({ provider: "mock", model: "mock-hang" });
    f.close();
  });

  it("reads only new rows each poll, including zstd rows, and counts queued inputs", async () => {
    const dir = agentDir("hang");
    const f = new AgentTranscriptFollower({ agent: "hang", agentDir: dir, cursors: new CursorStore(null), startAt: "end" });
    expect((await f.poll()).records).toEqual([]);
    const w = writer(dir);
    const sid = "346afe25-a231-40a7-8602-e32637eda088";
    appendEvent(w, sid, assistant(""));
    appendEvent(w, sid, assistant("big ".repeat(600)), { zstd: true });
    // A second message queued behind the hung run (shaped like the real interrupted row).
    w.exec(`INSERT INTO session_pending_inputs (input_id, session_key, session_id, idempotency_key, run_id, request_hash, message_json, lifecycle_generation, state, accepted_at)
            SELECT 'q2', session_key, session_id, 'k2:user', run_id, request_hash, message_json, lifecycle_generation, 'queued', accepted_at FROM session_pending_inputs LIMIT 1`);
    const r = await f.poll();
    expect(r.records.map((x) => x.visibleText.slice(0, 4))).toEqual(["", "big "]);
    expect(r.sessions.find((s) => s.sessionKey === "agent:hang:main")?.queued).toBe(1);
    expect((await f.poll()).records).toEqual([]);
    w.close();
    f.close();
  });

  it("resumes from its persisted cursor after a restart: no duplicates, no gaps", async () => {
    const dir = agentDir("empty");
    const cursorPath = join(state, "cp", "cursors.json");
    const store = new CursorStore(cursorPath);
    const a = new AgentTranscriptFollower({ agent: "empty", agentDir: dir, cursors: store, startAt: "end" });
    await a.poll();
    const w = writer(dir);
    const sid = "39b9c87d-cf85-481f-9ef8-a85b09129b08";
    appendEvent(w, sid, assistant("seen"));
    expect((await a.poll()).records.map((x) => x.visibleText)).toEqual(["seen"]);
    await store.flush();
    a.close();
    appendEvent(w, sid, assistant("while down"));
    appendEvent(w, "new-session-0001", assistant("new session while down"));
    const b = new AgentTranscriptFollower({ agent: "empty", agentDir: dir, cursors: new CursorStore(cursorPath), startAt: "end" });
    expect((await b.poll()).records.map((x) => x.visibleText)).toEqual(["while down", "new session while down"]);
    expect((await b.poll()).records).toEqual([]);
    w.close();
    b.close();
  });

  it("never writes to OpenClaw's database", async () => {
    const dir = agentDir("bad");
    const db = join(dir, "openclaw-agent.sqlite");
    const before = statSync(db).mtimeMs;
    const f = new AgentTranscriptFollower({ agent: "bad", agentDir: dir, cursors: new CursorStore(null), startAt: "start" });
    await f.poll();
    await f.poll();
    f.close();
    expect(statSync(db).mtimeMs).toBe(before);
    expect(existsSync(db + "-journal")).toBe(false);
  });

  it("a locked database is a problem line and a retry, then nothing is missed", async () => {
    const dir = agentDir("bad");
    const f = new AgentTranscriptFollower({ agent: "bad", agentDir: dir, cursors: new CursorStore(null), startAt: "end" });
    await f.poll();
    const w = writer(dir);
    w.exec("BEGIN EXCLUSIVE");
    appendEvent(w, "dadb6a61-31f4-4bbd-a373-32b04be91dcc", assistant("written under lock"));
    const locked = await f.poll();
    expect(locked.records).toEqual([]);
    expect(locked.problems.join("\n")).toMatch(/openclaw-agent\.sqlite: database is locked/);
    w.exec("COMMIT");
    w.close();
    expect((await f.poll()).records.map((x) => x.visibleText)).toEqual(["written under lock"]);
    f.close();
  });
});

describe("JSONL transcript follower (eras A–C)", () => {
  it("follows sessions.json and <sessionId>.jsonl files incrementally", async () => {
    const dir = join(state, "agents", "steve", "agent");
    const sessions = join(state, "agents", "steve", "sessions");
    mkdirSync(dir, { recursive: true });
    mkdirSync(sessions, { recursive: true });
    const sid = "a956ddab-20f4-4654-ad95-254cc6588ed5";
    writeFileSync(join(sessions, "sessions.json"), JSON.stringify({ "agent:steve:main": { sessionId: sid, updatedAt: 1, status: "running", startedAt: 1795264745671, modelProvider: "openrouter", model: "auto" } }));
    const file = join(sessions, `${sid}.jsonl`);
    writeFileSync(file, JSON.stringify({ type: "session", version: 3, id: sid }) + "\n");
    const f = new AgentTranscriptFollower({ agent: "steve", agentDir: dir, cursors: new CursorStore(null), startAt: "end" });
    const first = await f.poll();
    expect(f.era).toBe("jsonl");
    expect(first.sessions).toEqual([expect.objectContaining({ sessionKey: "agent:steve:main", status: "running", provider: "openrouter" })]);
    const turn = JSON.stringify({ type: "message", id: "08d84028", timestamp: "2026-11-21T12:32:02.824Z", message: { role: "assistant", content: [], provider: "openrouter", model: "auto", stopReason: "error", errorMessage: "401 Missing Authentication header" } }) + "\n";
    appendFileSync(file, turn.slice(0, 50));
    expect((await f.poll()).records).toEqual([]);
    appendFileSync(file, turn.slice(50));
    const r = await f.poll();
    expect(r.records).toEqual([expect.objectContaining({ sessionKey: "agent:steve:main", stopReason: "error", errorMessage: "401 Missing Authentication header" })]);
    writeFileSync(join(sessions, "sessions.json"), "{ broken");
    expect((await f.poll()).problems.join()).toMatch(/sessions\.json/);
    // An event-driven and a timer-driven poll at once read each line once.
    for (let i = 0; i < 50; i++) appendFileSync(file, turn);
    const both = await Promise.all([f.poll(), f.poll(), f.poll()]);
    expect(both.reduce((k, p) => k + p.records.length, 0)).toBe(50);
  });
});

describe("clawpatrol check source", () => {
  it("finds the empty bubble, the 401, the cooldown and the hung run in real 2026.9.6 files", async () => {
    for (const a of ["main", "empty", "bad", "hang"]) agentDir(a);
    const logDir = join(state, "logs");
    mkdirSync(logDir);
    cpSync(join(FIX, "openclaw.log"), join(logDir, "openclaw.log"));
    const inst = buildInstallation({ stateDir: state, agents: ["main", "empty", "bad", "hang"].map((id) => ({ id, models: ["mock/mock-ok"], credentials: {} })) });
    const now = 1795270611237 + 6 * 60_000;
    inst.usage = [{ profileId: "inline-api-key:mockbad", agent: "bad", cooldownUntil: now + 10_000, cooldownReason: "auth", errorCount: 1, lastFailureAt: now - 20_000, source: "agents/bad/agent/openclaw-agent.sqlite" }];
    const findings = await runFindingSource(inst, { since: now - 3_600_000, now, logLocation: logLocation({ logFile: join(logDir, "openclaw.log") }), monitor: { burstThreshold: 1, burstWindowMs: 3_600_000 } });
    const keys = findings.map((f) => f.key).sort();
    expect(keys).toEqual([
      "cooldown.storm|agent=bad|provider=mockbad",
      "run.empty-reply|agent=bad|provider=mockbad|model=mock-ok",
      "run.empty-reply|agent=empty|provider=mock|model=mock-empty",
      // "This turn ended before a reply: Agent database cleanup failed" — a real OpenClaw glitch in that run.
      "run.empty-reply|agent=hang",
      "run.failure-burst|agent=bad|provider=mockbad",
      "run.stuck|agent=hang|provider=mock|model=mock-hang",
    ]);
    const since = await runFindingSource(inst, { since: now - 60_000, now, logLocation: logLocation({ logFile: join(logDir, "openclaw.log") }) });
    expect(since.map((f) => f.kind).sort()).toEqual(["cooldown.storm", "run.stuck"]);
  });
});

/** Rebuild transcript_events with only the given columns, as older agent schemas have it. */
function rebuildTranscriptTable(dir: string, columns: string[]): void {
  const db = writer(dir);
  db.exec(`CREATE TABLE te_old AS SELECT ${columns.join(", ")} FROM transcript_events WHERE event_json IS NOT NULL`);
  db.exec("DROP TABLE transcript_events");
  db.exec("ALTER TABLE te_old RENAME TO transcript_events");
  db.close();
}

describe("agent schemas without event_zstd (2026.8.2 writes agent schema 19)", () => {
  it("still reads the 401 empty reply when transcript_events has no event_zstd column", async () => {
    const dir = agentDir("bad");
    rebuildTranscriptTable(dir, ["session_id", "seq", "event_json", "created_at"]);
    const f = new AgentTranscriptFollower({ agent: "bad", agentDir: dir, cursors: new CursorStore(null), startAt: "start" });
    const r = await f.poll();
    expect(r.unreadable).toEqual([]);
    expect(r.records.find((x) => x.role === "assistant")).toMatchObject({ stopReason: "error", visibleText: "" });
    f.close();
  });

  it("a transcript table it cannot read is a state.unreadable finding, and the run state is still read", async () => {
    const dir = agentDir("bad");
    rebuildTranscriptTable(dir, ["session_id", "seq", "created_at"]);
    const f = new AgentTranscriptFollower({ agent: "bad", agentDir: dir, cursors: new CursorStore(null), startAt: "start" });
    const r = await f.poll();
    expect(r.unreadable).toEqual([{ file: join(dir, "openclaw-agent.sqlite"), message: expect.stringMatching(/table transcript_events has no column event_json/) }]);
    expect(r.sessions).toEqual([expect.objectContaining({ sessionKey: "agent:bad:main", status: "failed" })]);
    f.close();
    const inst = buildInstallation({ stateDir: state, agents: [{ id: "bad", models: ["mock/mock-ok"], credentials: {} }] });
    const findings = await runFindingSource(inst, { since: 0, now: Date.now(), logLocation: logLocation({ logFile: join(state, "no.log") }) });
    expect(findings.filter((x) => x.kind === "state.unreadable")).toEqual([
      expect.objectContaining({ severity: "warning", subject: { agent: "bad", file: join(dir, "openclaw-agent.sqlite") }, summary: expect.stringMatching(/runs of agent bad cannot be watched/) }),
    ]);
  });
});

describe("JSONL eras count runs as OpenClaw does (real 2026.5.28 transcript)", () => {
  it("one turn with one empty-answer retry is one run, a warning, as on 2026.9.6", async () => {
    const dir = join(state, "agents", "main", "sessions");
    mkdirSync(join(state, "agents", "main", "agent"), { recursive: true });
    cpSync(join(process.cwd(), "test/fixtures/runs/oc-2026.5.28/agents/main/sessions"), dir, { recursive: true });
    const run = "runId=7d8dafba-2169-4275-bc37-f85524982e66 sessionId=faf5e4b0-9b74-481a-a219-83c7d982b049 provider=mock/mock-empty";
    const line = (date: string, text: string) => JSON.stringify({ 0: '{"subsystem":"agent/embedded"}', 1: text, _meta: { date, logLevelName: "WARN" }, time: date });
    const logFile = join(state, "openclaw.log");
    writeFileSync(logFile, [
      line("2026-11-30T08:01:40.500Z", `empty response detected: ${run} — retrying 1/1 with visible-answer continuation`),
      line("2026-11-30T08:01:44.900Z", `empty response retries exhausted: ${run} attempts=1/1 — surfacing incomplete-turn error`),
      line("2026-11-30T08:01:45.000Z", `incomplete turn detected: ${run} stopReason=stop hasLastAssistant=yes payloads=0 tools=0 emptyRetries=1/1 — surfacing error to user`),
    ].join("\n") + "\n");
    const inst = buildInstallation({ stateDir: state, agents: [{ id: "main", models: ["mock/mock-empty"], credentials: {} }] });
    const findings = await runFindingSource(inst, { since: 0, now: Date.parse("2026-11-30T08:05:00Z"), logLocation: logLocation({ logFile }) });
    const empty = findings.filter((f) => f.kind === "run.empty-reply");
    expect(empty).toHaveLength(1);
    expect(empty[0]!.evidence).toMatchObject({ runs: 1 });
    expect(empty[0]!.severity).toBe("warning");
  });
});
