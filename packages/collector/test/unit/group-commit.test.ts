import { describe, expect, it } from 'vitest';
import { GroupCommit, QueueFullError, type GroupCommitOptions } from '../../src/ingest/group-commit.ts';

/** A writer whose flushes are recorded and finish when the test says so. */
function recorder(opts: Partial<GroupCommitOptions<number, number>> = {}) {
  const batches: number[][] = [];
  const finish: Array<() => void> = [];
  const writer = new GroupCommit<number, number>({
    maxBatch: 100,
    maxWaitMs: 0,
    concurrency: 1,
    maxQueue: 1_000,
    flush: (items) => {
      batches.push(items);
      return new Promise((resolve) => finish.push(() => resolve(items.map((n) => (n < 0 ? new Error(`bad ${n}`) : n * 10)))));
    },
    ...opts,
  });
  return { writer, batches, finish };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('writes what one turn of the event loop brought in one flush, as soon as that turn ends', async () => {
    const { writer, batches, finish } = recorder();
    const answers = [1, 2, 3].map((n) => writer.submit(n));
    expect(batches).toEqual([]); // not within the turn that submitted them
    await turn();
    expect(batches).toEqual([[1, 2, 3]]);
    finish[0]!();
    expect(await Promise.all(answers)).toEqual([10, 20, 30]);
  });

  it('waits maxWaitMs for company when asked to', async () => {
    const { writer, batches, finish } = recorder({ maxWaitMs: 30 });
    const first = writer.submit(1);
    await turn();
    expect(batches).toEqual([]);
    await new Promise((r) => setTimeout(r, 10));
    const second = writer.submit(2);
    await new Promise((r) => setTimeout(r, 40));
    expect(batches).toEqual([[1, 2]]);
    finish[0]!();
    expect(await Promise.all([first, second])).toEqual([10, 20]);
  });

  it('gathers what arrives while the flushes allowed at once are running into the next flush', async () => {
    const { writer, batches, finish } = recorder({ concurrency: 2 });
    const a = writer.submit(1);
    await turn();
    const b = writer.submit(2);
    await turn();
    expect(batches).toEqual([[1], [2]]); // two at once
    const rest = [3, 4, 5].map((n) => writer.submit(n));
    await turn();
    await turn();
    expect(batches).toHaveLength(2); // both slots busy: 3, 4, 5 wait
    finish[0]!();
    await a;
    await turn();
    expect(batches[2]).toEqual([3, 4, 5]);
    finish[1]!();
    finish[2]!();
    expect(await Promise.all([b, ...rest])).toEqual([20, 30, 40, 50]);
  });

  it('starts at once when a batch is full, and never puts more than maxBatch in one', async () => {
    const { writer, batches, finish } = recorder({ maxBatch: 2 });
    const answers = [1, 2, 3].map((n) => writer.submit(n));
    expect(batches).toEqual([[1, 2]]); // full: no need to wait for the turn to end
    finish[0]!();
    await answers[0];
    await turn();
    expect(batches).toEqual([[1, 2], [3]]);
    finish[1]!();
    expect(await Promise.all(answers)).toEqual([10, 20, 30]);
  });

  it('fails an item alone on its own error, and every item of a flush that throws', async () => {
    let fail = false;
    const writer = new GroupCommit<number, number>({
      maxBatch: 100,
      maxWaitMs: 0,
      concurrency: 1,
      maxQueue: 100,
      flush: async (items) => {
        if (fail) throw new Error('database down');
        return items.map((n) => (n < 0 ? new Error(`bad ${n}`) : n));
      },
    });
    const results = await Promise.allSettled([writer.submit(1), writer.submit(-1), writer.submit(2)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    fail = true;
    const down = await Promise.allSettled([writer.submit(3), writer.submit(4)]);
    expect(down.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'ok'))).toEqual(['database down', 'database down']);
  });

  it('refuses items beyond maxQueue at once, and drains what it accepted', async () => {
    const { writer, batches, finish } = recorder({ maxQueue: 2 });
    const accepted = [writer.submit(1), writer.submit(2)];
    await expect(writer.submit(3)).rejects.toBeInstanceOf(QueueFullError);
    expect(writer.queued).toBe(2);
    let drained = false;
    const drain = writer.drain().then(() => (drained = true));
    await turn();
    expect(drained).toBe(false);
    finish[0]!();
    await drain;
    expect(batches).toEqual([[1, 2]]);
    expect(await Promise.all(accepted)).toEqual([10, 20]);
  });
});
