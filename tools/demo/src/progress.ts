/**
 * The demo's step-by-step progress on the terminal: each step on its own line with the time
 * since the demo started; counts within a step overwrite one line on a terminal and print at
 * quarter marks otherwise (logs of CI and `npm run demo > file` stay short).
 */
export class DemoProgress {
  /** From the process's start, so loading the code counts too (what `npm run demo` waits for). */
  private readonly started = Date.now() - process.uptime() * 1000;
  private lastQuarter = new Map<string, number>();
  private openLine = false;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  /** Seconds since the demo started. */
  get elapsed(): number {
    return (Date.now() - this.started) / 1000;
  }

  private stamp(): string {
    return `[${this.elapsed.toFixed(1).padStart(6)} s]`;
  }

  step(message: string): void {
    this.endLine();
    this.out.write(`${this.stamp()} ${message}\n`);
  }

  count(label: string, done: number, total: number): void {
    if (this.out.isTTY) {
      this.out.write(`\r${this.stamp()}   ${label}: ${done}/${total}${done >= total ? '' : ' '}`);
      this.openLine = true;
      if (done >= total) this.endLine();
      return;
    }
    const quarter = total > 0 ? Math.floor((4 * done) / total) : 4;
    if (quarter === this.lastQuarter.get(label)) return;
    this.lastQuarter.set(label, quarter);
    this.out.write(`${this.stamp()}   ${label}: ${done}/${total}\n`);
  }

  private endLine(): void {
    if (!this.openLine) return;
    this.out.write('\n');
    this.openLine = false;
  }
}
