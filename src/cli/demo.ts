// `clawpatrol demo`: the seed story on a bundled broken sandbox, no configuration, no network.
import type { Command } from "commander";
import { runDemo } from "../demo/run-demo.js";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("show clawpatrol on a bundled broken sandbox install (loopback only; cleans up after itself)")
    .option("--keep", "keep the sandbox directory for inspection")
    .option("--mailbox <file>", "where the demo's alerts are written (default: a new file in the temp dir)")
    .option("--act [openclaw]", "let clawpatrol switch the agent and switch it back (default: the fake openclaw of clawpatrol's test support; or the path of an openclaw to use)")
    .action(async (opts: { keep?: boolean; mailbox?: string; act?: boolean | string }) => {
      let result;
      try {
        result = await runDemo({ out: (line) => process.stdout.write(line + "\n"), ...(opts.keep ? { keep: true } : {}), ...(opts.mailbox ? { mailbox: opts.mailbox } : {}), ...(opts.act ? { act: opts.act } : {}) });
      } catch (err) {
        process.stderr.write(`${(err as Error).message}\n`);
        process.exitCode = 3;
        return;
      }
      // A story that did not reach its end could not show what it is for: UNKNOWN.
      process.exitCode = result.sawIncident && result.resolved && (!opts.act || result.switchedBack) ? 0 : 3;
    });
}
