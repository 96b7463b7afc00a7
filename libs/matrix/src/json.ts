// JSON value types shared by the whole Matrix core. Matrix JSON is JSON without floats
// (room v6+ forbids them outright), so numbers here are integers by convention.

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
