// The admin tasks this process runs after answering (room deletions), so stopping the role
// waits for them instead of cutting a purge in half.
export class BackgroundTasks {
  readonly #running = new Set<Promise<void>>();

  track(task: Promise<void>): void {
    this.#running.add(task);
    void task.finally(() => this.#running.delete(task));
  }

  /** Resolves once every task started so far has settled. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#running]);
  }
}
