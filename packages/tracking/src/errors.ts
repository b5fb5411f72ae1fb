// Typed store errors, so callers branch on the kind of failure rather than on message text.

/** Bad input to a store call: names the field and what was expected (nothing was written). */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
}

/** A run or sweep that does not exist. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(readonly what: 'run' | 'sweep', readonly key: string) {
    super(`unknown ${what} ${what === 'run' ? 'id ' : ''}"${key}"`);
  }
}

/**
 * A result write refused because the writer no longer owns the run: its lease expired and the
 * run was re-queued, re-claimed by another worker (a newer attempt) or ended.
 */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(readonly runId: string, readonly attempt: number, detail: string) {
    super(`run ${runId}: attempt ${attempt} no longer owns this run (${detail}); its writes are refused`);
  }
}

/** The store could not be opened: names the location and what was expected there. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
}

/** A read-only open of a store that has not been created or migrated to this version yet. */
export class StoreNotReadyError extends Error {
  override readonly name = 'StoreNotReadyError';
}

/** The disk (or database) is full: one line saying which store. */
export class StoreFullError extends Error {
  override readonly name = 'StoreFullError';
}
