// SMTP via nodemailer: SMTPS or STARTTLS, AUTH, several recipients, text + HTML parts.
import { readFileSync } from "node:fs";
import { createTransport } from "nodemailer";
import { redactText } from "../../util/secret.js";
import { resolveCredential, ChannelConfigError } from "../credentials.js";
import { ChannelError, type Channel, type EmailChannelConfig } from "../types.js";
import { baseFields, type ChannelDeps } from "./common.js";
import { mailFields } from "./mail-fields.js";

export function createEmailChannel(config: EmailChannelConfig, deps: ChannelDeps): Channel {
  const base = baseFields(config);
  const where = `alert channel "${config.name}"`;
  if (!config.host) throw new ChannelConfigError(`${where}: email needs host (the SMTP server)`);
  if (!config.from) throw new ChannelConfigError(`${where}: email needs from (sender address)`);
  const to = Array.isArray(config.to) ? config.to.filter(Boolean) : [];
  if (!to.length) throw new ChannelConfigError(`${where}: email needs to: ["you@example.org", …]`);
  const password = resolveCredential(config.name, "password", config.passwordEnv, config.passwordFile, deps);
  if (password && !config.username) throw new ChannelConfigError(`${where}: a password is configured but no username`);
  let ca: string | undefined;
  if (config.caFile) {
    try {
      ca = (deps.readFile ?? ((p: string) => readFileSync(p, "utf8")))(config.caFile);
    } catch (err) {
      throw new ChannelConfigError(`${where}: caFile ${config.caFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }
  const secure = config.secure ?? config.port === 465;
  const port = config.port ?? (secure ? 465 : 587);
  const starttls = config.starttls ?? "required";
  const transport = createTransport({
    host: config.host,
    port,
    secure,
    requireTLS: !secure && starttls === "required",
    ignoreTLS: !secure && starttls === "off",
    ...(config.username ? { auth: { user: config.username, pass: password?.reveal() ?? "" } } : {}),
    tls: { rejectUnauthorized: config.tlsRejectUnauthorized ?? true, ...(ca ? { ca } : {}) },
    connectionTimeout: base.timeoutMs,
    greetingTimeout: base.timeoutMs,
    socketTimeout: base.timeoutMs * 3,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    ...base,
    type: "email",
    async send(message) {
      try {
        const info = await transport.sendMail({ from: config.from, to, ...mailFields(message, config.name) });
        const rejected = (info.rejected ?? []).length;
        if (rejected && rejected === to.length) throw new ChannelError(`every recipient was rejected: ${redactText(String(info.response ?? ""))}`);
        return { response: redactText(String(info.response ?? "accepted")) + (rejected ? ` (${rejected} of ${to.length} recipients rejected)` : "") };
      } catch (err) {
        if (err instanceof ChannelError) throw err;
        const e = err as { code?: string; response?: string; message?: string };
        const reason = e.response ?? e.message ?? String(err);
        throw new ChannelError(redactText(`${e.code ? e.code + ": " : ""}${reason}`.replace(/\s+/g, " ").slice(0, 300)));
      }
    },
    async close() {
      transport.close();
    },
  };
}
