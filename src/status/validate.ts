// A validator for the subset of JSON Schema clawpatrol's own schemas use: type, required,
// properties, additionalProperties, enum, const, items, and local $ref into $defs. Any other
// validation keyword throws, so the schema can never quietly rely on something unchecked.
import { readFileSync } from "node:fs";

export type JsonSchema = Record<string, unknown>;

const ANNOTATIONS = new Set(["$schema", "$id", "$defs", "title", "description", "format", "default", "examples", "$comment"]);
const KEYWORDS = new Set(["type", "required", "properties", "additionalProperties", "enum", "const", "items", "$ref"]);

export interface SchemaError {
  /** JSON pointer-ish path: "agents[0].routes[1].state". */
  path: string;
  message: string;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case "integer": return typeof value === "number" && Number.isInteger(value);
    case "number": return typeof value === "number" && Number.isFinite(value);
    case "object": return typeOf(value) === "object";
    default: return typeOf(value) === type;
  }
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith("#/")) throw new Error(`unsupported $ref "${ref}" (only local #/… refs)`);
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) {
    node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  if (!node || typeof node !== "object") throw new Error(`$ref "${ref}" points nowhere`);
  return node as JsonSchema;
}

const join = (path: string, key: string | number): string =>
  typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key;

function check(root: JsonSchema, schema: JsonSchema, value: unknown, path: string, errors: SchemaError[]): void {
  for (const key of Object.keys(schema)) {
    if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key)) throw new Error(`schema keyword "${key}" at ${path || "(root)"} is not supported by this validator`);
  }
  if (typeof schema.$ref === "string") check(root, resolveRef(root, schema.$ref), value, path, errors);
  const at = path || "(root)";
  if ("const" in schema && JSON.stringify(value) !== JSON.stringify(schema.const)) {
    errors.push({ path: at, message: `expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}` });
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    errors.push({ path: at, message: `expected one of ${schema.enum.map((e) => JSON.stringify(e)).join("|")}, got ${JSON.stringify(value)}` });
    return;
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => matchesType(value, t))) {
      errors.push({ path: at, message: `expected ${types.join(" or ")}, got ${typeOf(value)}` });
      return;
    }
  }
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const name of (schema.required ?? []) as string[]) {
      if (!(name in obj)) errors.push({ path: join(path, name), message: "required property is missing" });
    }
    for (const [name, v] of Object.entries(obj)) {
      if (props[name]) check(root, props[name], v, join(path, name), errors);
      else if (schema.additionalProperties === false) errors.push({ path: join(path, name), message: "property is not allowed by the schema" });
      else if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
        check(root, schema.additionalProperties as JsonSchema, v, join(path, name), errors);
      }
    }
  }
  if (Array.isArray(value) && schema.items && typeof schema.items === "object") {
    value.forEach((item, i) => check(root, schema.items as JsonSchema, item, join(path, i), errors));
  }
}

/** Every violation, in document order; [] means valid. Throws only on an unsupported schema. */
export function validateSchema(schema: JsonSchema, value: unknown): SchemaError[] {
  const errors: SchemaError[] = [];
  check(schema, schema, value, "", errors);
  return errors;
}

export function formatSchemaErrors(errors: readonly SchemaError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join("\n");
}

let cached: JsonSchema | null = null;

/** The status schema shipped in the package (schema/status.schema.json). */
export function loadStatusSchema(): JsonSchema {
  if (cached) return cached;
  for (const rel of ["../../schema/status.schema.json", "../../../schema/status.schema.json"]) {
    try {
      cached = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as JsonSchema;
      return cached;
    } catch { /* try the next layout (src vs dist/src) */ }
  }
  throw new Error("schema/status.schema.json is missing from the clawpatrol package (reinstall clawpatrol)");
}

export function validateStatus(value: unknown): SchemaError[] {
  return validateSchema(loadStatusSchema(), value);
}
