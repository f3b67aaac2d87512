// `node --import ./test/support/ts-hooks.mjs child.ts`: lets a child process run the TypeScript
// sources directly (Node 24 strips types; tsconfig has erasableSyntaxOnly) by resolving the
// `./x.js` specifiers the sources use to `./x.ts` when no .js file exists.
import { registerHooks } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

registerHooks({
  resolve(specifier, context, nextResolve) {
    if ((specifier.startsWith(".") || specifier.startsWith("/")) && specifier.endsWith(".js") && context.parentURL?.startsWith("file:")) {
      const url = new URL(specifier, context.parentURL);
      if (!existsSync(fileURLToPath(url))) {
        const ts = new URL(url.href.replace(/\.js$/, ".ts"));
        if (existsSync(fileURLToPath(ts))) return nextResolve(ts.href, context);
      }
    }
    return nextResolve(specifier, context);
  },
});
