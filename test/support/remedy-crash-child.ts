// Child process for the remedy crash test: runs one fallback switch in act mode and SIGKILLs itself
// at the step named in CLAWPATROL_CRASH_AT (one of SWITCH_STEPS). Spec comes as JSON in argv[2].
import { statSync } from "node:fs";
import { RemedyEngine } from "../../src/remedy/engine.js";
import { realExec } from "../../src/util/exec.js";
import { systemClock } from "../../src/util/clock.js";
import type { RemedyAgent } from "../../src/remedy/types.js";

interface Spec { bin: string; env: NodeJS.ProcessEnv; stateDir: string; configPath: string; agent: RemedyAgent; primary: string; candidate: string }
const spec = JSON.parse(process.argv[2]!) as Spec;
const crashAt = process.env.CLAWPATROL_CRASH_AT;

const engine = new RemedyEngine({
  exec: realExec, clock: systemClock, openclawBin: spec.bin, env: spec.env, stateDir: spec.stateDir, configPath: spec.configPath,
  agents: () => [spec.agent],
  routeState: (_a, ref) => (ref === spec.primary ? "down" : "ok"),
  isGatewayDown: () => false,
  verifyCandidate: async () => ({ ok: true, checkedAt: Date.now(), detail: "HTTP 200" }),
  configMtime: () => statSync(spec.configPath).mtimeMs - 3_600_000,
  configValid: () => true,
  gatewayHealthy: async () => true,
  runsInFlight: () => 0,
  onStep: (step) => { if (step === crashAt) process.kill(process.pid, "SIGKILL"); },
}, { mode: "act", candidates: { global: [spec.candidate], perAgent: {} } });

const r = await engine.evaluate();
process.stdout.write(JSON.stringify(r.actions.map((a) => a.result)) + "\n");
