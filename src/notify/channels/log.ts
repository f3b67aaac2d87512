// Writes alerts into clawpatrol's own log (journald under systemd): always available, no network.
import type { Channel, LogChannelConfig } from "../types.js";
import { baseFields, type ChannelDeps } from "./common.js";

export function createLogChannel(config: LogChannelConfig, deps: ChannelDeps): Channel {
  const base = baseFields(config);
  return {
    ...base,
    type: "log",
    async send(message) {
      const fields = {
        alert: {
          id: `${message.id}:${config.name}`,
          type: message.type,
          severity: message.severity,
          incidents: message.incidents.map((i) => ({ id: i.id, kind: i.kind, subject: i.subjectKey, summary: i.summary, fix: i.fix })),
          suppressed: message.suppressed.length,
        },
      };
      if (message.type === "resolved" || message.severity === "info") deps.logger.info(fields, message.subject);
      else if (message.severity === "critical") deps.logger.error(fields, message.subject);
      else deps.logger.warn(fields, message.subject);
      return { response: "logged" };
    },
  };
}
