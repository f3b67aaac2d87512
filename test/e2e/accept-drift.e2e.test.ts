// The drift story of issue 14 on real OpenClaw: the daemon watches an install named only by
// openclaw.stateDir in clawpatrol's config; a hand edit through the real CLI (`openclaw config set
// agents.defaults.timeoutSeconds 120`) opens config.drift; `clawpatrol accept` with no flags clears
// it in the running daemon.
import { afterAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cachedOpenClawEntry, E2E_VERSIONS } from "../../src/sandbox/openclaw-cli.js";
import { ScratchInstall } from "../../src/sandbox/scratch-install.js";
import { CLI, readStatusOf, startDaemon, until } from "../support/daemon-process.js";

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

for (const version of E2E_VERSIONS) {
  const entry = cachedOpenClawEntry(version);
  (entry ? describe : describe.skip)(`clawpatrol accept on real OpenClaw ${version}`, () => {
    it("a hand edit through `openclaw config set` opens config.drift; `clawpatrol accept` resolves it in the running daemon", async () => {
      const install = new ScratchInstall({
        entry: entry!,
        prefix: "clawpatrol-e2e-accept-",
        config: { gateway: { mode: "local", bind: "loopback", port: 18997 }, agents: { defaults: { model: { primary: "mock/mock-ok" } } } },
      });
      cleanups.push(() => install.dispose());
      const xdg = join(install.home, "xdg");
      // clawpatrol's HOME has no ~/.openclaw: only its config names the install.
      const home = join(install.home, "clawpatrol-user");
      for (const d of [join(xdg, "config", "clawpatrol"), join(xdg, "tmp"), home]) mkdirSync(d, { recursive: true });
      writeFileSync(
        join(xdg, "config", "clawpatrol", "config.json5"),
        JSON.stringify({ openclaw: { stateDir: install.stateDir, bin: entry }, alerts: { channels: [{ name: "journal", type: "log" }] }, drift: { debounceMs: 200, rescanInterval: "1h" } }),
      );
      const host = { home, stateDir: install.stateDir, xdg, configFile: join(xdg, "config", "clawpatrol", "config.json5") };
      const env = { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: join(xdg, "state"), XDG_CONFIG_HOME: join(xdg, "config"), TMPDIR: join(xdg, "tmp") };
      const drift = () => readStatusOf(host)?.incidents?.filter((i: { kind: string }) => i.kind === "config.drift") ?? [];

      const daemon = startDaemon(host, { HOME: home }, []);
      try {
        const ready = await until("a ready status file", () => daemon.alive() && readStatusOf(host)?.clawpatrol?.ready && readStatusOf(host), 120_000);
        expect(ready!.openclaw.stateDir).toBe(install.stateDir);
        expect(ready!.openclaw.version).toBe(version);
        expect(drift()).toEqual([]);

        const set = await install.requireCli().run(["config", "set", "agents.defaults.timeoutSeconds", "120"]);
        expect(set.code).toBe(0);
        const opened = await until("config.drift after `openclaw config set`", () => daemon.alive() && drift().length > 0 && drift(), 60_000);
        expect(opened.map((i: { subject: { file: string } }) => i.subject.file)).toContain(install.configPath);
        expect(opened.find((i: { subject: { file: string } }) => i.subject.file === install.configPath).changes).toContain("agents.defaults.timeoutSeconds: added 120");

        const accept = spawnSync(process.execPath, [CLI, "accept"], { env, encoding: "utf8", timeout: 60_000 });
        expect(accept.stderr).toBe("");
        expect(accept.status).toBe(0);
        expect(accept.stdout).toContain("agents.defaults.timeoutSeconds: added 120");
        await until("config.drift resolved", () => daemon.alive() && drift().length === 0, 60_000);
        expect(existsSync(join(xdg, "state", "clawpatrol", "baselines"))).toBe(true);
      } catch (err) {
        process.stderr.write(`daemon output:\n${daemon.output()}\n`);
        throw err;
      } finally {
        expect(await daemon.stop()).toBe(0);
      }
    }, 300_000);
  });
}
