// A scratch OpenClaw installation in a temp folder: its own HOME, state dir, config, .env and
// (through the real CLI) stored auth profiles. Removed again by `dispose()`.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OpenClawCli } from "../openclaw/cli.js";
import { sandboxEnv } from "./openclaw-cli.js";
import type { Exec } from "../util/exec.js";
import { defaultConfigPath } from "../openclaw/paths.js";

export interface ScratchOptions {
  /** openclaw.json contents (written as JSON). */
  config: Record<string, unknown>;
  /** Lines of the state dir's .env, written verbatim (duplicates allowed on purpose). */
  envLines?: string[];
  /** Path to openclaw.mjs, when the real CLI is to be used. */
  entry?: string;
  exec?: Exec;
  prefix?: string;
}

export class ScratchInstall {
  readonly home: string;
  readonly stateDir: string;
  readonly configPath: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cli: OpenClawCli | null;

  constructor(options: ScratchOptions) {
    this.home = mkdtempSync(join(tmpdir(), options.prefix ?? "clawpatrol-sandbox-"));
    this.stateDir = join(this.home, ".openclaw");
    this.configPath = defaultConfigPath(this.stateDir);
    mkdirSync(join(this.home, "tmp"), { recursive: true });
    mkdirSync(this.stateDir, { recursive: true, mode: 0o700 });
    this.writeConfig(options.config);
    if (options.envLines) this.writeEnv(options.envLines);
    this.env = sandboxEnv({ home: this.home, stateDir: this.stateDir });
    this.cli = options.entry ? new OpenClawCli(options.entry, this.env, options.exec) : null;
  }

  writeConfig(config: Record<string, unknown>): void {
    writeFileSync(this.configPath, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
  }

  writeEnv(lines: string[]): void {
    writeFileSync(join(this.stateDir, ".env"), lines.join("\n") + "\n", { mode: 0o600 });
  }

  requireCli(): OpenClawCli {
    if (!this.cli) throw new Error("this scratch installation has no real openclaw CLI");
    return this.cli;
  }

  /** Stores an API-key profile the way a user would (`models auth paste-api-key`, key on stdin). */
  async storeApiKey(agent: string, provider: string, profileId: string, key: string): Promise<void> {
    const r = await this.requireCli().run(
      ["models", "auth", "paste-api-key", "--agent", agent, "--provider", provider, "--profile-id", profileId],
      120_000,
      key + "\n",
    );
    if (r.code !== 0) throw new Error(`openclaw models auth paste-api-key failed (${r.code}): ${(r.stderr || r.stdout).slice(0, 300)}`);
  }

  dispose(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}
