// Derives "future OpenClaw" fixtures from the real 2026.9.6 one (written by the real CLI), for the
// versions and schemas no test here can install:
//   derived-2026.11-future/   version 2026.11.2, state schema 19, agent schema 24; nothing else changed
//   derived-2026.11-renamed/  the same, plus what a schema change could do to what clawpatrol reads:
//                             prof's auth_profile_store.store_json renamed to store_payload, worker's
//                             session_nodes.status renamed to run_status, and the state DB's
//                             config_machine_state table renamed to machine_state
//
//   npm run build && node dist/scripts/derive-fixtures.js
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const FIXTURES = join(ROOT, "test", "fixtures");
const SOURCE = join(FIXTURES, "2026.9.6");
const VERSION = "2026.11.2";
const SCHEMA = { global: 19, agent: 24 };

function bumpDb(path: string, role: "global" | "agent", extra: string[] = []): void {
  const db = new DatabaseSync(path);
  try {
    db.prepare("UPDATE schema_meta SET schema_version = ?, app_version = ? WHERE meta_key = 'primary'").run(SCHEMA[role], VERSION);
    db.exec(`PRAGMA user_version = ${SCHEMA[role]}`);
    for (const sql of extra) db.exec(sql);
  } finally {
    db.close();
  }
}

function derive(name: string, renames: { state?: string[]; prof?: string[]; worker?: string[] }): void {
  const out = join(FIXTURES, name);
  rmSync(out, { recursive: true, force: true });
  cpSync(SOURCE, out, { recursive: true });
  const state = join(out, "home", ".openclaw");
  const configPath = join(state, "openclaw.json");
  const config = JSON.parse(readFileSync(configPath, "utf8")) as { meta?: Record<string, unknown>; wizard?: Record<string, unknown> };
  config.meta = { ...config.meta, lastTouchedVersion: VERSION };
  if (config.wizard) config.wizard.lastRunVersion = VERSION;
  writeFileSync(configPath, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });
  writeFileSync(join(out, "openclaw-version.json"), JSON.stringify({ version: `OpenClaw ${VERSION} (derived)`, derivedFrom: "2026.9.6", generatedBy: "scripts/derive-fixtures.ts" }, null, 2) + "\n");
  bumpDb(join(state, "state", "openclaw.sqlite"), "global", renames.state);
  bumpDb(join(state, "agents", "prof", "agent", "openclaw-agent.sqlite"), "agent", renames.prof);
  bumpDb(join(state, "agents", "worker", "agent", "openclaw-agent.sqlite"), "agent", renames.worker);
  process.stdout.write(`wrote ${out}\n`);
}

derive("derived-2026.11-future", {});
derive("derived-2026.11-renamed", {
  state: ["ALTER TABLE config_machine_state RENAME TO machine_state"],
  prof: ["ALTER TABLE auth_profile_store RENAME COLUMN store_json TO store_payload"],
  worker: ["ALTER TABLE session_nodes RENAME COLUMN status TO run_status"],
});
