// What `clawpatrol run` says at once when there is no OpenClaw install where it looked: the
// incident alone takes the failure threshold to open and names no fix.
import { tildify } from "../openclaw/paths.js";
import type { Installation } from "../openclaw/types.js";

export function installHint(inst: Pick<Installation, "exists" | "configExists" | "paths">): string | null {
  const { stateDir, configPath, chosenBy, home } = inst.paths;
  const show = (p: string) => (home ? tildify(p, home) : p);
  const fix = "set openclaw.stateDir in clawpatrol's config or pass --state-dir DIR (or --profile NAME)";
  const by = chosenBy === "~/.openclaw" ? "OpenClaw's default" : `chosen by ${chosenBy}`;
  if (!inst.exists) return `no OpenClaw install at ${show(stateDir)} (${by}) — ${fix}; clawpatrol keeps watching and picks it up once it exists`;
  if (!inst.configExists) return `no OpenClaw config at ${show(configPath)} — run openclaw onboard there, or ${fix}`;
  return null;
}
