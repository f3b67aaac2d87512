// The shipped unit file is a template: `clawpatrol install` swaps its ExecStart= line (the one
// after the @EXECSTART@ marker) for the absolute node binary + dist entry point.
import { readFileSync } from "node:fs";

export const UNIT_NAME = "clawpatrol.service";
export const EXECSTART_MARKER = "@EXECSTART@";

/** Where the template lives relative to this module: src/systemd → ../../units, dist/src/systemd → ../../../units. */
export function readUnitTemplate(): string {
  for (const rel of ["../../units/clawpatrol.service", "../../../units/clawpatrol.service"]) {
    try {
      return readFileSync(new URL(rel, import.meta.url), "utf8");
    } catch { /* try the next layout */ }
  }
  throw new Error("units/clawpatrol.service is missing from the clawpatrol package (reinstall clawpatrol)");
}

/**
 * Quote one ExecStart= word: systemd splits on whitespace, honours "…" with C escapes, and
 * expands % specifiers and $VARS — so those must be doubled.
 */
export function quoteExecArg(arg: string): string {
  const escaped = arg.replace(/%/g, "%%").replace(/\$/g, "$$$$");
  if (escaped !== "" && /^[A-Za-z0-9_@%+=:,./$-]+$/.test(escaped)) return escaped;
  return `"${escaped.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

export interface RenderOptions {
  /** Absolute path of the node binary (process.execPath). */
  nodePath: string;
  /** Absolute path of clawpatrol's dist/src/cli/main.js. */
  mainPath: string;
  /** Passed as `run --config <path>` when set. */
  configPath?: string;
}

export function execStartLine(options: RenderOptions): string {
  const argv = [options.nodePath, options.mainPath, "run"];
  if (options.configPath) argv.push("--config", options.configPath);
  return `ExecStart=${argv.map(quoteExecArg).join(" ")}`;
}

export function renderUnit(template: string, options: RenderOptions): string {
  for (const [name, value] of [["node", options.nodePath], ["main.js", options.mainPath]] as const) {
    if (!value.startsWith("/")) throw new Error(`the ${name} path in ExecStart= must be absolute, got "${value}"`);
  }
  const lines = template.split("\n");
  const marker = lines.findIndex((l) => l.includes(EXECSTART_MARKER));
  const target = marker >= 0 ? lines.findIndex((l, i) => i > marker && l.startsWith("ExecStart=")) : lines.findIndex((l) => l.startsWith("ExecStart="));
  if (target < 0) throw new Error("the unit template has no ExecStart= line");
  lines[target] = execStartLine(options);
  return lines.join("\n");
}
