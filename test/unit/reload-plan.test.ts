import { describe, it, expect } from "@jest/globals";
import { reloadPlan } from "../../src/daemon/reload-plan.js";
import { defaultConfig } from "../../src/config/defaults.js";

describe("what a config reload applies", () => {
  it("applies each changed section and nothing else", () => {
    const before = defaultConfig();
    const after = defaultConfig();
    after.health.failureThreshold = 5;
    after.status.prometheus.listen = "127.0.0.1:9464";
    after.log.level = "debug";
    expect(reloadPlan(before, after)).toEqual({ apply: ["log", "health", "status"], restart: [] });
    expect(reloadPlan(before, defaultConfig())).toEqual({ apply: [], restart: [] });
  });

  it("re-creates the remedy engine when the probe schedule changes (its verification window follows it)", () => {
    const after = defaultConfig();
    after.probe.authSchedule = "*/5 * * * *";
    expect(reloadPlan(defaultConfig(), after).apply).toEqual(["probe", "remedy"]);
  });

  it("names a change of the watched installation as needing a restart", () => {
    const after = defaultConfig();
    after.openclaw.stateDir = "/srv/openclaw";
    expect(reloadPlan(defaultConfig(), after)).toEqual({ apply: [], restart: ["openclaw"] });
  });
});
