// A loopback fake of Telegram's Bot API: POST /bot<token>/sendMessage. It answers like Telegram
// (401 "Unauthorized" for a wrong token, 400 for an over-long or badly escaped text, 429 with
// retry_after when told to) and records what it accepted.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { closeServer } from "./servers.js";

export interface SentMessage {
  chat_id: string | number;
  text: string;
  parse_mode?: string;
  disable_notification?: boolean;
}

export class FakeTelegram {
  readonly accepted: SentMessage[] = [];
  readonly refused: { status: number; description: string }[] = [];
  /** Answer the next N sendMessage calls with this status before accepting again. */
  failNext: { count: number; status: 429 | 502 } = { count: 0, status: 502 };
  port = 0;
  #server: Server | undefined;
  readonly token: string;

  constructor(token: string) {
    this.token = token;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const reply = (status: number, body: object) => {
          if (status !== 200) this.refused.push({ status, description: (body as { description?: string }).description ?? "" });
          res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
        };
        const m = /^\/bot([^/]+)\/sendMessage$/.exec(req.url ?? "");
        if (req.method !== "POST" || !m) return reply(404, { ok: false, error_code: 404, description: "Not Found" });
        if (m[1] !== this.token) return reply(401, { ok: false, error_code: 401, description: "Unauthorized" });
        if (this.failNext.count > 0) {
          this.failNext.count--;
          return this.failNext.status === 429
            ? reply(429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } })
            : reply(502, { ok: false, error_code: 502, description: "Bad Gateway" });
        }
        const msg = JSON.parse(Buffer.concat(chunks).toString("utf8")) as SentMessage;
        const visible = msg.parse_mode === "HTML" ? unescapeHtml(msg.text) : msg.text;
        if (visible === null) return reply(400, { ok: false, error_code: 400, description: "Bad Request: can't parse entities" });
        if ([...visible].length > 4096) return reply(400, { ok: false, error_code: 400, description: "Bad Request: message is too long" });
        this.accepted.push(msg);
        reply(200, { ok: true, result: { message_id: this.accepted.length, chat: { id: msg.chat_id }, date: 0, text: visible } });
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, "127.0.0.1", () => resolve()));
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    await closeServer(s);
  }
}

/** Telegram's HTML mode: only <b>, <pre>, … tags and &lt; &gt; &amp; &quot; entities; a bare < or & is an error. */
function unescapeHtml(html: string): string | null {
  const withoutTags = html.replace(/<\/?(b|strong|i|em|u|s|code|pre)>/g, "");
  if (/[<>]/.test(withoutTags) || /&(?!(lt|gt|amp|quot);)/.test(withoutTags)) return null;
  return withoutTags.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}
