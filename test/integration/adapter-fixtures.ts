// Shared helpers for the adapter's integration tests: fixture locations and their fake secrets.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const FIXTURES = join(REPO, "test", "fixtures");
/** The "now" the hand-built fixtures were written around. */
export const T0 = Date.parse("2026-11-21T07:00:00Z");

export const ADAPTER_FIXTURES = ["seed-000", "legacy-2026.3-era-a", "legacy-2026.4-era-b", "legacy-2026.6-era-c", "legacy-2026.8-era-d", "2026.5.28", "2026.7.35", "2026.8.2", "2026.9.6"];

export function fixtureHome(name: string): string {
  return join(FIXTURES, name, "home");
}
export function fixtureState(name: string): string {
  return join(FIXTURES, name, "home", ".openclaw");
}
export function fixtureSecrets(name: string): string[] {
  const p = join(FIXTURES, name, "secrets.json");
  return existsSync(p) ? (JSON.parse(readFileSync(p, "utf8")) as string[]) : [];
}
export function availableFixtures(): string[] {
  return ADAPTER_FIXTURES.filter((f) => existsSync(join(FIXTURES, f, "home")) && readdirSync(join(FIXTURES, f)).includes("secrets.json"));
}
