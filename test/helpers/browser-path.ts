/** Debian's Chromium unless CONCORD_CHROMIUM names another; shared by the browser helper and the test preflight. */
export function chromiumPath(): string {
  return process.env.CONCORD_CHROMIUM || '/usr/bin/chromium';
}
