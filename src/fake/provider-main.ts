#!/usr/bin/env node
// Out-of-process fake provider for shell scripts and the e2e harness:
//   node dist/src/fake/provider-main.js --port 0 --config fake.json
// Prints one JSON line {"url","port"} on stdout once listening; SIGTERM/SIGINT close it.
// Config file: { latencyMs?, answer?, keys?: {key: behaviour}, models?: {model: behaviour},
//                unknownKey?, local?, modelIds? }. Control endpoints: GET /__fake/stats,
//                POST /__fake/behaviour {key|model, behaviour}, POST /__fake/reset.
import { readFileSync } from "node:fs";
import { startFakeProvider, isBehaviour, type FakeProviderOptions } from "./provider.js";

function fail(message: string): never {
  process.stderr.write(`fake-provider: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): { port: number; host: string; config?: string } {
  const out: { port: number; host: string; config?: string } = { port: 0, host: "127.0.0.1" };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => argv[++i] ?? fail(`${a} needs a value`);
    if (a === "--port") {
      out.port = Number(next());
      if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) fail("--port must be 0..65535");
    } else if (a === "--host") out.host = next();
    else if (a === "--config") out.config = next();
    else fail(`unknown argument ${a} (use --port N --host H --config file.json)`);
  }
  return out;
}

function loadConfig(file: string): FakeProviderOptions {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    fail(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== "object") fail(`${file}: expected a JSON object`);
  const cfg = raw as FakeProviderOptions;
  for (const section of ["keys", "models"] as const) {
    for (const [name, b] of Object.entries(cfg[section] ?? {})) {
      if (!isBehaviour(b)) fail(`${file}: ${section}.${section === "keys" ? "<key>" : name} has an unknown behaviour`);
    }
  }
  for (const field of ["unknownKey", "local"] as const) {
    if (cfg[field] !== undefined && !isBehaviour(cfg[field])) fail(`${file}: ${field} has an unknown behaviour`);
  }
  return cfg;
}

const args = parseArgs(process.argv.slice(2));
const config = args.config ? loadConfig(args.config) : {};
const fake = await startFakeProvider({ ...config, port: args.port, host: args.host });
process.stdout.write(`${JSON.stringify({ url: fake.url, port: fake.port })}\n`);
const stop = (): void => {
  void fake.close().then(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
