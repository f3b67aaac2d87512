// Where the gateway listens and logs, from config (+ OPENCLAW_GATEWAY_* env), with OpenClaw's defaults.
import { lstatSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { Secret } from "../util/secret.js";
import { getObj, getStr } from "./config-path.js";
import { envString } from "./env-files.js";
import { expandHome } from "./paths.js";
import type { EnvView, GatewayInfo } from "./types.js";

function localDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export interface TmpProbe {
  lstat: (path: string) => { isDirectory(): boolean; isSymbolicLink(): boolean; uid: number };
  uid: number | undefined;
  /** The temp dir OpenClaw's process sees (its TMPDIR), for the fallback. */
  tmpdir: string;
}

const hostProbe = (tmp: string | undefined): TmpProbe => ({ lstat: lstatSync, uid: process.getuid?.(), tmpdir: tmp ?? tmpdir() });

/**
 * OpenClaw's temp root (fs-safe `resolveSecureTempRoot`): /tmp/openclaw when it is missing (OpenClaw
 * creates it) or a real directory owned by this user (it tightens the mode itself); otherwise
 * <TMPDIR>/openclaw-<uid>. TMPDIR alone never moves it. Real CLI: 6.1 with TMPDIR set wrote
 * /tmp/openclaw; 9.6 with /tmp/openclaw owned by another user wrote $TMPDIR/openclaw-0/.
 */
export function openclawTmpRoot(probe: TmpProbe): string {
  if (process.platform === "win32") return join(probe.tmpdir, "openclaw");
  try {
    const st = probe.lstat("/tmp/openclaw");
    if (st.isDirectory() && !st.isSymbolicLink() && (probe.uid === undefined || st.uid === probe.uid)) return "/tmp/openclaw";
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "/tmp/openclaw";
  }
  return join(probe.tmpdir, probe.uid === undefined ? "openclaw" : `openclaw-${probe.uid}`);
}

/** OpenClaw's default dated log file: <temp root>/openclaw[-<profile>]-YYYY-MM-DD.log (host local date). */
export function defaultLogFile(now: number, profile?: string, probe: TmpProbe = hostProbe(undefined)): string {
  const base = openclawTmpRoot(probe);
  const name = profile && profile.toLowerCase() !== "default" ? `openclaw-${profile}-${localDate(now)}.log` : `openclaw-${localDate(now)}.log`;
  return join(base, name);
}

export function gatewayInfo(config: Record<string, unknown> | null, env: EnvView, home: string, stateDir: string, now: number, profile?: string): GatewayInfo {
  const gw = getObj(config, "gateway") ?? {};
  const envPort = Number(envString(env.effective.get("OPENCLAW_GATEWAY_PORT")));
  const port = Number.isInteger(envPort) && envPort > 0 ? envPort : typeof gw.port === "number" ? gw.port : profile === "dev" ? 19001 : 18789;
  const bind = typeof gw.bind === "string" ? gw.bind : "loopback";
  const customHost = getStr(gw, "customBindHost");
  const host = bind === "custom" && customHost && customHost !== "0.0.0.0" ? customHost : "127.0.0.1";
  const tls = getObj(gw, "tls")?.enabled === true;
  const authMode = getStr(gw, "auth", "mode") ?? "token";
  const tokenText = (authMode === "password" ? getStr(gw, "auth", "password") : getStr(gw, "auth", "token")) ?? envString(env.effective.get(authMode === "password" ? "OPENCLAW_GATEWAY_PASSWORD" : "OPENCLAW_GATEWAY_TOKEN"));
  const logging = getStr(config, "logging", "file");
  return {
    port,
    bind,
    host,
    tls,
    url: `${tls ? "https" : "http"}://${host}:${port}`,
    authMode,
    token: tokenText && !tokenText.includes("${") ? new Secret(tokenText) : null,
    reloadMode: getStr(gw, "reload", "mode") ?? "hybrid",
    logFile: logging ? expandHome(logging, home, stateDir) : defaultLogFile(now, profile, hostProbe(envString(env.effective.get("TMPDIR")) || undefined)),
  };
}
