// Lets a plain `node` child process import clawpatrol's TypeScript sources (Node 24 strips types;
// the sources import "./x.js", which this hook maps to "./x.ts").
import { register } from "node:module";

const hook = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    if (specifier.startsWith(".") && specifier.endsWith(".js")) return next(specifier.slice(0, -3) + ".ts", context);
    throw err;
  }
}`;
register("data:text/javascript," + encodeURIComponent(hook));
