// A progress bar on stderr for long runs, only when stderr is a terminal (never in
// logs or pipes, where stdout may carry --json).
import cliProgress from "cli-progress";

/** An onProgress callback drawing a bar titled `title`, and a function to close it. */
export function progressBar(title: string): { onProgress?: (done: number, total: number) => void; stop(): void } {
  if (!process.stderr.isTTY) return { stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `${title} [{bar}] {percentage}% {value}/{total} {eta_formatted}`, clearOnComplete: true, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}
