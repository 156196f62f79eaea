/**
 * Waits until the web app answers, so "Concord is running" and its time are true when printed
 * (`next start` takes seconds to listen after it is spawned). Gives up quietly after `ms`: the
 * message then still prints, and the web app's own output says what went wrong.
 */
export async function waitForHttp(url: string, ms = 60_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000), redirect: 'manual' });
      await res.body?.cancel();
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return false;
}
