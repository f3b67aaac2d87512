// The seed-000 installation ("Steve", OpenClaw 2026.4.14): defaults switched to
// openai-codex/gpt-5.4, agent `main` pinned to openrouter/moonshotai/kimi-k2.5 in agents.list[0],
// OPENROUTER_API_KEY twice in ~/.openclaw/.env, the key in plain text in openclaw.json, and a
// stale stored `openrouter:default` profile that beats the (valid) env key. Providers point at a
// loopback fake so nothing leaves the machine.
import { mkdirSync, mkdtempSync, writeFileSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { authProfilesPath } from "../openclaw/agent-files.js";
import { defaultConfigPath } from "../openclaw/paths.js";

export interface SeedKeys {
  /** In the stored profile: rejected (401 "User not found."). */
  staleProfileKey: string;
  /** In ~/.openclaw/.env, the later of two lines (the one that wins): valid. */
  envKey: string;
  /** The earlier, different OPENROUTER_API_KEY line in .env. */
  envKeyDuplicate: string;
  /** In openclaw.json's env block, in plain text. */
  plaintextConfigKey: string;
  /** OpenAI Codex OAuth access/refresh tokens (expire in 3 days). */
  codexAccess: string;
  codexRefresh: string;
  gatewayToken: string;
}

function fakeKey(prefix: string, tail: string): string {
  return prefix + randomBytes(30).toString("hex") + tail;
}

export function newSeedKeys(): SeedKeys {
  return {
    staleProfileKey: fakeKey("sk-or-v1-", "04f4"),
    envKey: fakeKey("sk-or-v1-", "a81c"),
    envKeyDuplicate: fakeKey("sk-or-v1-", "77b2"),
    plaintextConfigKey: fakeKey("sk-or-v1-", "c0de"),
    codexAccess: "eyJ" + randomBytes(40).toString("base64url"),
    codexRefresh: "rt_" + randomBytes(32).toString("hex"),
    gatewayToken: randomBytes(24).toString("hex"),
  };
}

export interface SeedSandboxOptions {
  /** Base URL of the fake provider, e.g. http://127.0.0.1:4010 */
  providerUrl: string;
  gatewayPort: number;
  now: number;
  keys?: SeedKeys;
  /** Parent directory (default: the OS temp dir). */
  parent?: string;
}

export interface SeedSandbox {
  home: string;
  stateDir: string;
  configPath: string;
  keys: SeedKeys;
  dispose(): void;
}

export function buildSeedSandbox(options: SeedSandboxOptions): SeedSandbox {
  const keys = options.keys ?? newSeedKeys();
  const home = mkdtempSync(join(options.parent ?? tmpdir(), "clawpatrol-seed-"));
  const stateDir = join(home, ".openclaw");
  const agentDir = join(stateDir, "agents", "main", "agent");
  mkdirSync(agentDir, { recursive: true, mode: 0o700 });
  mkdirSync(join(stateDir, "agents", "main", "sessions"), { recursive: true, mode: 0o700 });
  const configPath = defaultConfigPath(stateDir);
  const config = {
    meta: { lastTouchedVersion: "2026.4.14", lastTouchedAt: new Date(options.now - 86_400_000).toISOString() },
    gateway: { mode: "local", bind: "loopback", port: options.gatewayPort, auth: { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" } },
    env: { OPENROUTER_API_KEY: keys.plaintextConfigKey },
    logging: { file: join(stateDir, "logs", "openclaw.log") },
    models: {
      providers: {
        openrouter: { baseUrl: `${options.providerUrl}/api/v1` },
        "openai-codex": { baseUrl: `${options.providerUrl}/v1` },
      },
    },
    agents: {
      defaults: { model: { primary: "openai-codex/gpt-5.4", fallbacks: [] }, workspace: join(stateDir, "workspace") },
      list: [{ id: "main", model: "openrouter/moonshotai/kimi-k2.5" }],
    },
  };
  writeFileSync(configPath, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
  writeFileSync(
    join(stateDir, ".env"),
    [
      `OPENCLAW_GATEWAY_TOKEN=${keys.gatewayToken}`,
      `OPENROUTER_API_KEY=${keys.envKeyDuplicate}`,
      "# added again while switching to OpenRouter (the later line wins)",
      `OPENROUTER_API_KEY=${keys.envKey}`,
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  writeFileSync(
    authProfilesPath(agentDir),
    JSON.stringify(
      {
        version: 1,
        profiles: {
          "openrouter:default": { type: "api_key", provider: "openrouter", key: keys.staleProfileKey },
          "openai-codex:default": {
            type: "oauth",
            provider: "openai-codex",
            access: keys.codexAccess,
            refresh: keys.codexRefresh,
            expires: options.now + 3 * 86_400_000,
          },
        },
      },
      null,
      2,
    ) + "\n",
    { mode: 0o600 },
  );
  // The broken state is yesterday's: nobody is editing these files right now.
  const yesterday = new Date(options.now - 86_400_000);
  for (const file of [configPath, join(stateDir, ".env"), authProfilesPath(agentDir)]) utimesSync(file, yesterday, yesterday);
  return { home, stateDir, configPath, keys, dispose: () => rmSync(home, { recursive: true, force: true }) };
}

/** Every secret of the sandbox, for "never appears in any output" assertions. */
export function seedSecrets(keys: SeedKeys): string[] {
  return Object.values(keys);
}
