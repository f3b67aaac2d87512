// Real loopback servers for notify tests: an SMTP server (smtp-server) that can go down and come
// back on the same port, and an HTTP server whose status code the test controls.
import { decodeQP } from "../../../src/util/mime-words.js";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

export interface ReceivedMail {
  raw: string;
  from: string;
  to: string[];
  user?: string;
  secure: boolean;
}

export class TestSmtp {
  readonly mails: ReceivedMail[] = [];
  port = 0;
  #server: SMTPServer | undefined;
  #options: SMTPServerOptions;

  constructor(options: Partial<SMTPServerOptions> & { users?: Record<string, string> } = {}) {
    const { users, ...rest } = options;
    this.#options = {
      logger: false,
      authOptional: !users,
      disabledCommands: users ? [] : ["AUTH"],
      allowInsecureAuth: true,
      ...rest,
      onAuth: (auth, _session, cb) => {
        if (users && users[auth.username ?? ""] === auth.password) return cb(null, { user: auth.username });
        return cb(new Error("Invalid username or password"));
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const mail: ReceivedMail = {
            raw: Buffer.concat(chunks).toString("utf8"),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            secure: session.secure,
          };
          if (typeof session.user === "string") mail.user = session.user;
          this.mails.push(mail);
          cb(null);
        });
      },
    };
  }

  async start(): Promise<this> {
    this.#server = new SMTPServer(this.#options);
    this.#server.on("error", () => undefined);
    await new Promise<void>((resolve) => this.#server!.listen(this.port, "127.0.0.1", () => resolve()));
    this.port = (this.#server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export class TestHttp {
  readonly requests: ReceivedRequest[] = [];
  /** Requests answered with a non-2xx status. */
  readonly rejected: ReceivedRequest[] = [];
  status = 200;
  port = 0;
  #server: Server | undefined;

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const r = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
        if (this.status >= 200 && this.status < 300) this.requests.push(r);
        else this.rejected.push(r);
        res.writeHead(this.status, { "content-type": "text/plain" });
        res.end(this.status >= 300 ? "upstream broken" : "ok");
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.port, "127.0.0.1", () => resolve()));
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  url(path = "/hook"): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    await closeServer(s);
  }
}

/** Closes an HTTP server now, keep-alive connections included. */
export async function closeServer(s: Server | undefined): Promise<void> {
  if (!s) return;
  s.closeAllConnections();
  await new Promise<void>((resolve) => s.close(() => resolve()));
}

/** A self-signed certificate for 127.0.0.1/localhost (openssl), or undefined if openssl is missing. */
export function selfSignedCert(): { key: string; cert: string; certFile: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), "clawpatrol-cert-"));
  const keyFile = join(dir, "key.pem");
  const certFile = join(dir, "cert.pem");
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  return { key: readFileSync(keyFile, "utf8"), cert: readFileSync(certFile, "utf8"), certFile };
}

/** Minimal MIME helpers for asserting on raw RFC822 text (mailparser does not install here). */
export { decodeQP, decodeWords, header } from "../../../src/util/mime-words.js";

/** Body parts of a multipart message: content type and decoded text. */
export function parts(raw: string): { type: string; body: string }[] {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  if (!boundary) return [];
  return raw
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((chunk) => {
      const [head, ...rest] = chunk.replace(/^\r?\n/, "").split(/\r?\n\r?\n/);
      const body = rest.join("\n\n");
      const type = /content-type:\s*([^;\r\n]+)/i.exec(head ?? "")?.[1]?.trim() ?? "";
      const enc = /content-transfer-encoding:\s*(\S+)/i.exec(head ?? "")?.[1]?.toLowerCase();
      const decoded = enc === "quoted-printable" ? decodeQP(body) : enc === "base64" ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8") : body;
      return { type, body: decoded };
    });
}
