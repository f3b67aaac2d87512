// gateway.config-stale: keys that need a gateway restart changed after the gateway started, so the
// running gateway still uses the old values. Reload rules from OpenClaw's hot-reload docs
// (2026.9.6 docs/gateway/configuration/hot-reload.md; 2026.5.28 docs/gateway/configuration.md):
// the longest matching prefix decides; a path that matches no rule needs a restart.
import { makeFinding, type Finding } from "../checks/finding.js";
import { displayLeaf } from "./check.js";
import { valueAt, type ConfigTimeline } from "./timeline.js";

export type ReloadClass = "hot" | "restart" | "none";

const NONE = ["meta", "wizard", "$schema", "gateway.reload", "gateway.remote"];
const HOT_COMMON = [
  "agents", "agent", "models", "routing", "auth.order", "auth.profiles", "broadcast", "hooks", "cron", "session", "messages",
  "tools", "skills", "mcp", "audio", "talk", "tts", "ui", "logging", "identity", "bindings", "channels", "web", "commands",
  "accessGroups", "surfaces",
];
const HOT_MODERN = [
  "worktreeRoot", "worktreeAcceleration", "memory.citations", "attachments.ttlHours", "plugins", "approvals",
  "security.installPolicy", "security.audit.suppressions", "diagnostics", "acp", "update", "telemetry", "gateway.publicOrigin",
  "mcp.apps.sandboxOrigin", "gateway.http.endpoints", "gateway.http.securityHeaders.strictTransportSecurity", "gateway.tools",
  "gateway.nodes.browser", "gateway.nodes.pairing", "gateway.nodes.commands", "gateway.nodes.pluginTools.enabled",
  "gateway.nodes.allowSkills", "gateway.cliAgents", "gateway.controlUi.enabled", "gateway.controlUi.environment",
  "gateway.controlUi.github", "gateway.controlUi.sessionObserver", "gateway.controlUi.embedSandbox",
  "gateway.controlUi.allowExternalEmbedUrls", "gateway.controlUi.experimental.customPlugins",
  "gateway.controlUi.automaticallyFetchFavicons", "gateway.controlUi.allowedOrigins",
  "gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback", "gateway.push.apns.relay", "gateway.terminal", "desktop.host",
  "cloudWorkers", "gateway.auth.token", "gateway.auth.password", "gateway.roles", "gateway.trustedProxies",
  "gateway.allowRealIpFallback", "gateway.auth.allowTailscale", "gateway.auth.identityScopes", "gateway.auth.trustedProxy",
  "transcripts.enabled", "transcripts.autoStart", "gateway.auth.rateLimit", "discovery.mdns.mode", "browser.profiles",
  "browser.defaultProfile", "browser.headless", "browser.executablePath", "browser.attachOnly", "browser.cdpUrl",
  "browser.noSandbox", "browser.extraArgs", "browser.snapshotDefaults", "browser.tabCleanup", "browser.allowSystemProfileImport",
  "browser.enabled", "browser.evaluateEnabled", "browser.ssrfPolicy", "browser.extensionRelay.allowLegacyAuth",
  "agents.defaults.heartbeat",
];
// Before 2026.9: plugins and discovery restart; browser hot-applies; the token still restarts.
const HOT_LEGACY = ["browser"];

function isModern(version: string | null | undefined): boolean {
  if (!version) return true;
  const m = /^(\d{4})\.(\d+)/.exec(version);
  if (!m) return true;
  return Number(m[1]) > 2026 || (Number(m[1]) === 2026 && Number(m[2]) >= 9);
}

function prefixMatches(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(prefix + ".") || path.startsWith(prefix + "[");
}

/** How a change to this config path is applied by a running gateway in hybrid mode. */
export function reloadClassOf(path: string, version?: string | null): ReloadClass {
  const hot = [...HOT_COMMON, ...(isModern(version) ? HOT_MODERN : HOT_LEGACY)];
  let best: { len: number; cls: ReloadClass } = { len: -1, cls: "restart" };
  for (const p of NONE) if (prefixMatches(p, path) && p.length > best.len) best = { len: p.length, cls: "none" };
  for (const p of hot) if (prefixMatches(p, path) && p.length > best.len) best = { len: p.length, cls: "hot" };
  return best.cls;
}

export interface ConfigStaleInput {
  timeline: ConfigTimeline;
  /** When the running gateway started (epoch ms): `/readyz` uptime or the process start time. Unknown → no verdict. */
  gatewayStartedAt?: number;
  /** `gateway.reload.mode`: "hybrid" (default), "off", and before 2026.9 also "hot" / "restart". */
  reloadMode?: string;
  /** OpenClaw version (reload rules changed in 2026.9). */
  version?: string | null;
  now: number;
  /** In hybrid mode the gateway restarts itself for restart keys; wait this long before calling it stale. */
  graceMs?: number;
}

export interface StaleKey {
  path: string;
  before: string;
  after: string;
  changedAt: number;
}

export function staleKeys(input: ConfigStaleInput): StaleKey[] {
  const started = input.gatewayStartedAt;
  if (started === undefined) return [];
  const mode = input.reloadMode ?? "hybrid";
  const grace = mode === "off" || mode === "hot" ? 0 : (input.graceMs ?? 60_000);
  const out: StaleKey[] = [];
  for (const [path, entries] of Object.entries(input.timeline)) {
    const last = entries[entries.length - 1];
    if (!last || last.at <= started) continue;
    const cls = reloadClassOf(path, input.version);
    if (cls === "none") continue;
    if (cls === "hot" && mode !== "off") continue;
    const atStart = valueAt(entries, started);
    if (!atStart || atStart.v === last.v) continue;
    if (input.now - last.at < grace) continue;
    out.push({ path, before: displayLeaf(atStart.v ?? undefined), after: displayLeaf(last.v ?? undefined), changedAt: last.at });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export function checkConfigStale(input: ConfigStaleInput): Finding[] {
  const keys = staleKeys(input);
  if (keys.length === 0) return [];
  const first = keys[0]!;
  const mode = input.reloadMode ?? "hybrid";
  const why = mode === "off" ? "gateway.reload.mode is off, so nothing applies until a restart" : "these keys need a gateway restart";
  return [
    makeFinding({
      kind: "gateway.config-stale",
      severity: "warning",
      summary: `The running gateway uses an older config: ${first.path} ${first.before} → ${first.after}${keys.length > 1 ? ` and ${keys.length - 1} more` : ""} changed after it started (${why})`,
      detail: "Restart the gateway to apply it: openclaw gateway restart",
      evidence: {
        gatewayStartedAt: new Date(input.gatewayStartedAt!).toISOString(),
        reloadMode: mode,
        changes: keys.slice(0, 50).map((k) => `${k.path}: ${k.before} → ${k.after} (at ${new Date(k.changedAt).toISOString()})`),
      },
      at: input.now,
    }),
  ];
}
