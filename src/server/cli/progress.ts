/**
 * Progress for long CLI work: a redrawn bar on a terminal, plain lines (at most one per 10%)
 * when the output is a file or a CI log, where carriage returns would make a mess.
 */
export interface Progress {
  update(done: number, total: number): void;
  done(message?: string): void;
}

export function createProgress(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  const width = 30;
  let lastDecile = -1;
  let drawn = false;
  return {
    update(done, total) {
      const ratio = total > 0 ? Math.min(1, done / total) : 1;
      const percent = Math.floor(ratio * 100);
      if (stream.isTTY) {
        const filled = Math.round(ratio * width);
        stream.write(
          `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}% ${done}/${total}`,
        );
        drawn = true;
        return;
      }
      const decile = Math.floor(percent / 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(`${label}: ${percent}% (${done}/${total})\n`);
      }
    },
    done(message) {
      if (drawn) stream.write('\n');
      if (message) stream.write(`${message}\n`);
    },
  };
}
