// Prometheus Alertmanager: POST /api/v2/alerts with one alert per incident. Alertmanager does its own
// routing; we refresh endsAt with every reminder and set endsAt = resolvedAt on resolve.
import type { AlertMessage, AlertmanagerChannelConfig, Channel } from "../types.js";
import { baseFields, bearer, httpHeaders, resolveUrl, type ChannelDeps } from "./common.js";
import { postBody } from "./http.js";
import { ChannelConfigError } from "../credentials.js";

export function alertmanagerBody(message: AlertMessage, sentAt: number, endsAfterMs: number, extraLabels: Record<string, string> = {}): string {
  if (message.type === "test") {
    return JSON.stringify([
      {
        labels: { alertname: "clawpatrol_test", severity: "info", instance: message.host, source: "clawpatrol", ...extraLabels },
        annotations: { summary: message.subject },
        startsAt: new Date(message.createdAt).toISOString(),
        endsAt: new Date(sentAt + 5 * 60_000).toISOString(),
      },
    ]);
  }
  const alerts = message.incidents.map((inc) => {
    const labels: Record<string, string> = { alertname: inc.kind, severity: inc.severity, instance: message.host, source: "clawpatrol", subject: inc.subjectKey };
    for (const [k, v] of Object.entries(inc.subject)) labels[k] = v;
    Object.assign(labels, extraLabels);
    const resolved = message.type === "resolved" || inc.resolvedAt !== undefined;
    return {
      labels,
      annotations: { summary: inc.summary, description: [inc.fix, ...inc.actions].filter(Boolean).join("\n"), incident: inc.id },
      startsAt: inc.openedAt,
      endsAt: resolved ? (inc.resolvedAt ?? new Date(message.createdAt).toISOString()) : new Date(sentAt + endsAfterMs).toISOString(),
    };
  });
  return JSON.stringify(alerts);
}

export function createAlertmanagerChannel(config: AlertmanagerChannelConfig, deps: ChannelDeps): Channel {
  const base = baseFields(config);
  const root = resolveUrl(config, deps).replace(/\/+$/, "");
  const url = root.endsWith("/api/v2/alerts") ? root : `${root}/api/v2/alerts`;
  const endsAfterMs = config.endsAfter ?? 2 * (deps.repeatIntervalMs || 4 * 3_600_000);
  const token = bearer(config, deps);
  return {
    ...base,
    type: "alertmanager",
    async send(message) {
      // A digest carries only info notices; Alertmanager has nothing to alert on.
      if (!message.incidents.length && message.type !== "test") return { response: "nothing to post (message has no incidents)" };
      return postBody(url, alertmanagerBody(message, (deps.now ?? Date.now)(), endsAfterMs, config.labels), httpHeaders(config.headers, token), base.timeoutMs);
    },
  };
}
