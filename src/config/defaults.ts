// The configuration clawpatrol runs with when there is no config file: watch ~/.openclaw, probe,
// detect, write the status file, alert to the journal (and a local mbox), remedy in observe mode.
import { configSchema, type ClawpatrolConfig } from "./schema.js";

export function defaultConfig(): ClawpatrolConfig {
  return configSchema.parse({});
}

export const DEFAULTS: Readonly<ClawpatrolConfig> = Object.freeze(defaultConfig());
