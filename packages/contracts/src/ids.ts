const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every Concord id (project, slice, user, model version) is a UUID; anything else names nothing. */
export function isUuid(x: string): boolean {
  return UUID.test(x);
}
