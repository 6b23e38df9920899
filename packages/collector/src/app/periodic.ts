/** Runs `job` once after `firstMs` and then every `everyMs`, without keeping the process alive; returns the stopper. */
export function runPeriodically(job: () => unknown, firstMs: number, everyMs: number): () => void {
  const first = setTimeout(job, firstMs);
  const repeat = setInterval(job, everyMs);
  first.unref();
  repeat.unref();
  return () => {
    clearTimeout(first);
    clearInterval(repeat);
  };
}
