// Where OpenClaw writes its default gateway log. Seen with the real CLI: 2026.6.1 run with TMPDIR set
// still wrote /tmp/openclaw/openclaw-DATE.log; 2026.9.6 with /tmp/openclaw owned by another user
// wrote $TMPDIR/openclaw-0/openclaw-DATE.log (fs-safe resolveSecureTempRoot).
import { describe, expect, it } from "@jest/globals";
import { defaultLogFile, openclawTmpRoot, type TmpProbe } from "../../src/openclaw/gateway-info.js";

const dir = (uid: number, symlink = false) => () => ({ isDirectory: () => !symlink, isSymbolicLink: () => symlink, uid });
const missing = () => {
  throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
};
const probe = (lstat: TmpProbe["lstat"], uid: number | undefined = 1000): TmpProbe => ({ lstat, uid, tmpdir: "/run/user/1000/tmp" });

describe("OpenClaw's temp root", () => {
  it("is /tmp/openclaw when it is missing or this user's own directory, whatever TMPDIR says", () => {
    expect(openclawTmpRoot(probe(missing))).toBe("/tmp/openclaw");
    expect(openclawTmpRoot(probe(dir(1000)))).toBe("/tmp/openclaw");
  });

  it("falls back to <TMPDIR>/openclaw-<uid> when /tmp/openclaw belongs to someone else or is a symlink", () => {
    expect(openclawTmpRoot(probe(dir(0)))).toBe("/run/user/1000/tmp/openclaw-1000");
    expect(openclawTmpRoot(probe(dir(1000, true)))).toBe("/run/user/1000/tmp/openclaw-1000");
  });

  it("names the dated file in it, with the profile", () => {
    const noon = new Date(2026, 10, 30, 12).getTime();
    expect(defaultLogFile(noon, undefined, probe(dir(0)))).toBe("/run/user/1000/tmp/openclaw-1000/openclaw-2026-11-30.log");
    expect(defaultLogFile(noon, "work", probe(missing))).toBe("/tmp/openclaw/openclaw-work-2026-11-30.log");
  });
});
