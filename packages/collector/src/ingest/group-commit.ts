/**
 * Group commit: callers submit items and wait; items that arrive while a flush is running are
 * written together by the next one (one transaction, multi-row statements). Nobody is answered
 * before their item is committed, and the queue is bounded: past it, callers are refused at once
 * so the HTTP layer can answer 503 instead of piling up memory.
 */
export interface GroupCommitOptions<T, R> {
  /** writes a batch; returns one result per item, in order: an Error fails that item alone */
  flush(items: T[]): Promise<Array<R | Error>>;
  /** most items in one flush */
  maxBatch: number;
  /**
   * How long an item may wait for company while a flush could start. 0: until the end of the
   * event loop's current turn, so the batch holds every request that turn read.
   */
  maxWaitMs: number;
  /** flushes running at once (1 on the embedded database, a few on a pool) */
  concurrency: number;
  /** items waiting beyond this are refused with QueueFullError */
  maxQueue: number;
}

export class QueueFullError extends Error {
  constructor() {
    super('the write queue is full');
  }
}

interface Pending<T, R> {
  item: T;
  resolve(r: R): void;
  reject(e: unknown): void;
}

export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private running = 0;
  /** cancels the pending start of a flush */
  private pending: (() => void) | undefined;
  private idle: Array<() => void> = [];

  constructor(private readonly opts: GroupCommitOptions<T, R>) {}

  get queued(): number {
    return this.queue.length;
  }

  submit(item: T): Promise<R> {
    if (this.queue.length >= this.opts.maxQueue) return Promise.reject(new QueueFullError());
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** resolves once everything submitted so far is flushed */
  drain(): Promise<void> {
    if (!this.queue.length && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule() {
    if (this.running >= this.opts.concurrency) return; // the running flush picks the queue up when done
    if (this.queue.length >= this.opts.maxBatch) {
      this.start();
    } else if (!this.pending) {
      const go = () => {
        this.pending = undefined;
        if (this.running < this.opts.concurrency) this.start();
      };
      if (this.opts.maxWaitMs > 0) {
        const t = setTimeout(go, this.opts.maxWaitMs);
        this.pending = () => clearTimeout(t);
      } else {
        const t = setImmediate(go);
        this.pending = () => clearImmediate(t);
      }
    }
  }

  private start() {
    this.pending?.();
    this.pending = undefined;
    const batch = this.queue.splice(0, this.opts.maxBatch);
    if (!batch.length) return;
    this.running++;
    this.opts
      .flush(batch.map((p) => p.item))
      .then(
        (results) =>
          batch.forEach((p, i) => {
            const r = results[i]!;
            if (r instanceof Error) p.reject(r);
            else p.resolve(r);
          }),
        (err) => batch.forEach((p) => p.reject(err)),
      )
      .finally(() => {
        this.running--;
        // Whatever gathered during the flush goes now: under load, batches grow by themselves.
        while (this.queue.length && this.running < this.opts.concurrency) this.start();
        if (!this.queue.length && !this.running) {
          this.idle.splice(0).forEach((f) => f());
        }
      });
  }
}
