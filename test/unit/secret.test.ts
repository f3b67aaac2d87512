import { describe, it, expect } from "@jest/globals";
import { inspect } from "node:util";
import { Secret, redactText, fingerprintOf, isSecretKeyName } from "../../src/util/secret.js";

const KEY = "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456768304f4";

describe("a secret read by the adapter", () => {
  it("shows only its fingerprint when logged, stringified or serialised", () => {
    const s = new Secret(KEY);
    expect(s.fingerprint).toMatch(/^sk-or-v1-…04f4 #[0-9a-f]{8}$/);
    expect(JSON.stringify({ s })).not.toContain(KEY);
    expect(`${s}`).not.toContain(KEY);
    expect(inspect({ s })).not.toContain(KEY);
    expect(s.reveal()).toBe(KEY);
  });

  it("compares two secrets without showing either", () => {
    expect(new Secret(KEY).sameAs(new Secret(KEY))).toBe(true);
    expect(new Secret(KEY).sameAs(new Secret(KEY + "x"))).toBe(false);
  });

  it("does not leak the tail of a short secret", () => {
    expect(fingerprintOf("bad-key")).toMatch(/^\(7 chars\) #/);
  });

  it("scrubs known and secret-shaped values out of free text", () => {
    new Secret(KEY);
    const text = redactText(`401 for key ${KEY}; also Bearer abcdefghijklmnopqrstuv and gsk_ABCDEFGHIJKLMNOPQRSTUV`);
    expect(text).not.toContain(KEY);
    expect(text).toContain("sk-or-v1-…04f4");
    expect(text).not.toContain("abcdefghijklmnopqrstuv");
    expect(text).not.toContain("gsk_ABCDEFGHIJKLMNOPQRSTUV");
  });

  it("recognises secret-bearing key names", () => {
    for (const k of ["apiKey", "token", "password", "refresh", "access", "OPENROUTER_API_KEY"]) expect(isSecretKeyName(k)).toBe(true);
    for (const k of ["model", "primary", "baseUrl", "port"]) expect(isSecretKeyName(k)).toBe(false);
  });
});
