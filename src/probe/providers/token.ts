// OAuth and token credentials: judged by expiry and refresh-token presence, without network
// (refreshing or calling with them would touch the provider's account state).
import type { Credential } from "../../openclaw/types.js";
import { verdictOf } from "../classify.js";
import type { ProbeResult, ProbeStatus } from "../types.js";

export function humanDuration(ms: number): string {
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  if (d) return h ? `${d}d ${h}h` : `${d}d`;
  if (h) return m ? `${h}h ${m}m` : `${h}h`;
  if (m) return `${m}m`;
  return `${Math.max(1, Math.round(abs / 1000))}s`;
}

export function tokenCheck(cred: Credential, now: number): ProbeResult {
  const done = (status: ProbeStatus, reason: string): ProbeResult => ({ status, verdict: verdictOf(status), reason, at: now });
  if (cred.expiresAt === undefined) {
    return done("ok", cred.type === "oauth" ? "OAuth credential without a recorded expiry (not checked over the network)" : "token without a recorded expiry (not checked over the network)");
  }
  const left = cred.expiresAt - now;
  if (left > 0) return done("ok", `valid for ${humanDuration(left)}${cred.hasRefreshToken ? ", refresh token present" : ""}`);
  if (cred.type === "oauth" && cred.hasRefreshToken) {
    return done("ok", `access token expired ${humanDuration(left)} ago; the runtime refreshes it with the stored refresh token`);
  }
  return done("expired", `expired ${humanDuration(left)} ago${cred.type === "oauth" ? " and no refresh token is stored" : ""}`);
}
