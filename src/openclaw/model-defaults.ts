// `agents.defaults.model` of openclaw.json: a model ref string, or `{ primary, fallbacks }`. The one
// reader of it; every other place asks here.

/** The primary of agents.defaults.model of a parsed openclaw.json, when set. */
export function defaultsPrimary(config: Record<string, unknown> | null | undefined): string | null {
  const agents = config?.agents;
  const defaults = agents && typeof agents === "object" ? (agents as Record<string, unknown>).defaults : undefined;
  const model = defaults && typeof defaults === "object" ? (defaults as Record<string, unknown>).model : undefined;
  if (typeof model === "string") return model;
  if (model && typeof model === "object" && typeof (model as Record<string, unknown>).primary === "string") return (model as { primary: string }).primary;
  return null;
}
