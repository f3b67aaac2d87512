// Test harness for the remedy engine: a temp OpenClaw config, a fake `openclaw` executable that
// records its argv, clawpatrol's state dir, and deps whose health answers the test controls.
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, existsSync, statSync, chmodSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { ManualClock } from "../../src/util/clock.js";
import { realExec } from "../../src/util/exec.js";
import type { SubjectState } from "../../src/health/types.js";
import type { CandidateCheck, RemedyAgent, RemedyDeps } from "../../src/remedy/types.js";
import type { RouteEntry } from "../../src/openclaw/types.js";

const here = dirname(fileURLToPath(import.meta.url));

export function fakeOpenclawSource(): string {
  return readFileSync(join(here, "fake-openclaw.mjs"), "utf8");
}

export interface HarnessOptions {
  config: Record<string, unknown>;
  version?: "9" | "5";
  agents: RemedyAgent[];
  env?: NodeJS.ProcessEnv;
  /** Defaults to the real time, so file mtimes written by the fake CLI line up with the clock. */
  start?: string | number;
}

export function routeEntry(ref: string, role: "primary" | "fallback" = "primary"): RouteEntry {
  const i = ref.indexOf("/");
  return { ref: { provider: ref.slice(0, i), model: ref.slice(i + 1), ref }, role, from: "agent", origin: { file: "openclaw.json", path: "" } };
}

export function agent(id: string, primary: string, opts: { configPath?: string | null; fallbacks?: string[] } = {}): RemedyAgent {
  return {
    id,
    configPath: opts.configPath === undefined ? `agents.entries.${id}` : opts.configPath,
    route: { primary: routeEntry(primary), fallbacks: (opts.fallbacks ?? []).map((f) => routeEntry(f, "fallback")), strict: false },
  };
}

export class RemedyHarness {
  readonly root: string;
  readonly home: string;
  readonly ocStateDir: string;
  readonly configPath: string;
  readonly stateDir: string;
  readonly bin: string;
  readonly logPath: string;
  readonly controlPath: string;
  readonly clock: ManualClock;
  readonly env: NodeJS.ProcessEnv;
  agents: RemedyAgent[];
  /** "agent|ref" → state; unset = ok. */
  routes = new Map<string, SubjectState>();
  /** "agent|ref" → probe answer; unset = never probed. */
  probes = new Map<string, CandidateCheck>();
  gatewayDown = false;
  healthy = true;
  valid = true;
  inFlight = 0;
  ownChanges: string[] = [];
  /** Content hashes announced with own changes (the post-write state; undefined = announced before the write). */
  ownChangeHashes: (string | undefined)[] = [];

  constructor(opts: HarnessOptions) {
    this.root = mkdtempSync(join(tmpdir(), "clawpatrol-remedy-"));
    this.home = join(this.root, "home");
    this.ocStateDir = join(this.home, ".openclaw");
    this.configPath = join(this.ocStateDir, "openclaw.json");
    this.stateDir = join(this.root, "clawpatrol-state");
    mkdirSync(this.ocStateDir, { recursive: true });
    this.writeConfig(opts.config);
    this.bin = join(this.root, "bin", "openclaw");
    mkdirSync(dirname(this.bin), { recursive: true });
    writeFileSync(this.bin, `#!${process.execPath}\n${fakeOpenclawSource()}`);
    chmodSync(this.bin, 0o755);
    this.logPath = join(this.root, "openclaw-argv.log");
    this.controlPath = join(this.root, "control.json");
    this.clock = new ManualClock(opts.start ?? Date.now());
    // The config was "last edited" long ago, unless a test says otherwise.
    this.touchConfig(this.clock.now() - 3_600_000);
    this.env = {
      PATH: process.env.PATH,
      HOME: this.home,
      OPENCLAW_STATE_DIR: this.ocStateDir,
      FAKE_OPENCLAW_LOG: this.logPath,
      FAKE_OPENCLAW_CONTROL: this.controlPath,
      FAKE_OPENCLAW_VERSION: opts.version ?? "9",
      ...opts.env,
    };
    this.agents = opts.agents;
  }

  writeConfig(config: Record<string, unknown>): void {
    writeFileSync(this.configPath, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
  }

  readConfig(): any {
    return JSON.parse(readFileSync(this.configPath, "utf8"));
  }

  touchConfig(at: number): void {
    utimesSync(this.configPath, new Date(at), new Date(at));
  }

  control(c: Record<string, unknown>): void {
    writeFileSync(this.controlPath, JSON.stringify(c));
  }

  /** Every argv the fake openclaw was called with. */
  calls(): string[][] {
    if (!existsSync(this.logPath)) return [];
    return readFileSync(this.logPath, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as string[]);
  }

  writes(): string[][] {
    return this.calls().filter((a) => a[0] === "config" && (a[1] === "set" || a[1] === "unset") && a[2] !== "--help");
  }

  route(agentId: string, ref: string, state: SubjectState): void {
    this.routes.set(`${agentId}|${ref}`, state);
  }

  probe(agentId: string, ref: string, ok: boolean, detail = ok ? "HTTP 200" : "HTTP 401 invalid key", checkedAt = this.clock.now()): void {
    this.probes.set(`${agentId}|${ref}`, { ok, detail, checkedAt });
  }

  deps(extra: Partial<RemedyDeps> = {}): RemedyDeps {
    return {
      exec: realExec,
      clock: this.clock,
      openclawBin: this.bin,
      env: this.env,
      stateDir: this.stateDir,
      configPath: this.configPath,
      agents: () => this.agents,
      routeState: (a, ref) => this.routes.get(`${a}|${ref}`) ?? "ok",
      isGatewayDown: () => this.gatewayDown,
      verifyCandidate: async (a, ref) => this.probes.get(`${a}|${ref}`) ?? { ok: false, checkedAt: 0, detail: "never probed" },
      configMtime: () => statSync(this.configPath).mtimeMs,
      configValid: () => this.valid,
      gatewayHealthy: async () => this.healthy,
      runsInFlight: () => this.inFlight,
      recordOwnChange: (_file, note, hash) => { this.ownChanges.push(note); this.ownChangeHashes.push(hash); },
      ...extra,
    };
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
