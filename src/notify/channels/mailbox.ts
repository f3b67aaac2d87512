// Appends each message as an RFC822 mail to a local mbox file (mboxrd quoting): the zero-config
// default and what `clawpatrol demo` shows. Read it with `mail -f <file>` or any mail client.
import { mkdir } from "node:fs/promises";
import { openAppendNoFollow } from "../../util/no-follow.js";
import { dirname, join } from "node:path";
import { hostname } from "node:os";
import { createTransport } from "nodemailer";
import { ChannelError, type Channel, type MailboxChannelConfig } from "../types.js";
import { baseFields, type ChannelDeps } from "./common.js";
import { mailFields } from "./mail-fields.js";

/** mbox "From " separator line: asctime in UTC. */
function fromLine(sender: string, at: number): string {
  const d = new Date(at);
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getUTCDay()];
  const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, "0");
  return `From ${sender} ${day} ${mon} ${String(d.getUTCDate()).padStart(2, " ")} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** mboxrd: any body line matching /^>*From / gets one more ">". */
export function toMboxEntry(rfc822: string, sender: string, at: number): string {
  const body = rfc822.replace(/\r\n/g, "\n").replace(/^(>*From )/gm, ">$1");
  return `${fromLine(sender, at)}\n${body.endsWith("\n") ? body : body + "\n"}\n`;
}

export function createMailboxChannel(config: MailboxChannelConfig, deps: ChannelDeps): Channel {
  const base = baseFields(config);
  const path = config.path ?? join(deps.stateDir, "alerts.mbox");
  const from = config.from ?? `clawpatrol@${hostname() || "localhost"}`;
  const to = config.to ?? `${process.env.USER || "root"}@localhost`;
  const composer = createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    ...base,
    type: "mailbox",
    async send(message) {
      try {
        const info = await composer.sendMail({ from, to, ...mailFields(message, config.name) });
        const raw = Buffer.isBuffer(info.message) ? info.message.toString("utf8") : String(info.message);
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        const handle = await openAppendNoFollow(path);
        try {
          await handle.appendFile(toMboxEntry(raw, "clawpatrol", message.createdAt));
          await handle.sync();
        } finally {
          await handle.close();
        }
        return { response: `appended to ${path}` };
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        throw new ChannelError(`cannot append to ${path}: ${e.code === "ELOOP" ? e.message : e.code ?? e.message}`);
      }
    },
  };
}
