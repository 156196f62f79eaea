/** Times cross the wire as ISO 8601 strings (the schema has no date scalar). */
export function isoTime(d: Date | string): string {
  return new Date(d).toISOString();
}

export function isoTimeOrNull(d: Date | string | null): string | null {
  return d == null ? null : isoTime(d);
}
