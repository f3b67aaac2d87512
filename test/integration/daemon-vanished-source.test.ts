// Breaking openclaw.json under a running `clawpatrol run`: what it could no longer read is unknown,
// never resolved. The page leads with the critical config.invalid, its fix is a command that works,
// no "Resolved" message goes out, and the gateway check keeps the port openclaw.json last named.
import { describe, it, expect, beforeAll, afterAll } from "@jest/globals";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeProvider, type FakeProvider } from "../../src/fake/provider.js";
import { buildSeedSandbox, seedSecrets, type SeedSandbox } from "../../src/demo/seed-sandbox.js";
import { readStatusOf, until } from "../support/daemon-process.js";

const CLI = join(process.cwd(), "dist", "src", "cli", "main.js");

let provider: FakeProvider;
let gateway: Server;
let gatewayPort: number;
let seed: SeedSandbox;
let xdg: string;

function messagesIn(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split(/^From clawpatrol /m).filter((m) => m.trim().length > 0);
}

const subjectOf = (m: string): string => /^X-Clawpatrol-Type: (\w+)/m.exec(m)?.[1] ?? "";

beforeAll(async () => {
  provider = await startFakeProvider({ unknownKey: "401" });
  const started = Date.now();
  gateway = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(req.url === "/readyz" ? JSON.stringify({ ready: true, failing: [], uptimeMs: Date.now() - started }) : JSON.stringify({ ok: true, status: "live" }));
  });
  await new Promise<void>((r) => gateway.listen(0, "127.0.0.1", () => r()));
  gatewayPort = (gateway.address() as { port: number }).port;
  seed = buildSeedSandbox({ providerUrl: provider.url, gatewayPort, now: Date.now() });
  provider.setKeyBehaviour(seed.keys.envKey, "ok");
  xdg = mkdtempSync(join(tmpdir(), "clawpatrol-vanished-"));
});

afterAll(async () => {
  await provider?.close();
  await new Promise((r) => gateway?.close(r));
  seed?.dispose();
  if (xdg) rmSync(xdg, { recursive: true, force: true });
});

describe("openclaw.json breaks under a running daemon", () => {
  it("pages config.invalid first, sends no resolve for what it can no longer see, and keeps the gateway port", async () => {
    const mbox = join(xdg, "alerts.mbox");
    const configFile = join(xdg, "config.json5");
    writeFileSync(configFile, `{ alerts: { groupWait: "1s", resolveHold: "1s", channels: [ { name: "mbox", type: "mailbox", path: ${JSON.stringify(mbox)} } ] }, probe: { gatewaySchedule: "*/2 * * * * *" }, status: { intervalMs: 1000 }, remedy: { mode: "observe" } }`);
    let out = "";
    const child = spawn(process.execPath, [CLI, "run", "--state-dir", seed.stateDir, "--config", configFile], {
      env: { PATH: process.env.PATH, HOME: seed.home, XDG_STATE_HOME: join(xdg, "state"), XDG_CONFIG_HOME: join(xdg, "config"), TMPDIR: xdg },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const status = () => readStatusOf({ xdg });
    try {
      await until("the daemon's first page", () => messagesIn(mbox).length > 0 && status()?.clawpatrol?.ready);
      const before = messagesIn(mbox).length;
      const openBefore = status()!.incidents.map((i: { id: string }) => i.id) as string[];
      expect(status()!.incidents.map((i: { kind: string }) => i.kind)).toContain("secret.plaintext");

      const brokeAt = Date.now();
      writeFileSync(seed.configPath, "{ garbage");
      const page = await until("the page about the broken config", () => messagesIn(mbox).slice(before).find((m) => /config\.invalid/.test(m)));
      // Three more gateway rounds after the break: time enough for any resolve to go out.
      await until("gateway probes after the break", () => {
        const gw = status()?.gateway;
        return gw && Date.parse(gw.checkedAt) > brokeAt + 6000 ? gw : undefined;
      }, 30_000);

      expect(/^Subject: (.*)$/m.exec(page)![1]).toMatch(/openclaw\.json is not valid JSON5/);
      expect(page).not.toMatch(/accept --file \S*#auth-store/);
      const after = messagesIn(mbox).slice(before);
      expect(after.map(subjectOf)).not.toContain("resolved");
      expect(out).not.toMatch(/incident resolved/);
      const now = status()!;
      expect(now.gateway.url).toBe(`http://127.0.0.1:${gatewayPort}`);
      expect(now.incidents.map((i: { kind: string }) => i.kind)).not.toContain("gateway.down");
      const stillOpen = now.incidents.map((i: { id: string }) => i.id) as string[];
      for (const id of openBefore) expect(stillOpen).toContain(id);
      // Open, and honest about it: the key in openclaw.json cannot be seen now.
      const plain = now.incidents.find((i: { kind: string; subject: { file?: string } }) => i.kind === "secret.plaintext" && i.subject.file?.startsWith("~/.openclaw/openclaw.json#"));
      expect(plain?.state).toBe("unknown");
      expect(now.incidents.find((i: { kind: string }) => i.kind === "config.invalid")?.state).toBe("down");
      for (const secret of seedSecrets(seed.keys)) expect([out, ...after].join("\n")).not.toContain(secret);
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  }, 120_000);
});
