/**
 * A fault at start-up that the operator can fix (database unreachable, data directory locked or
 * too new). The CLI prints its message as one line and exits 1, without a stack trace.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
