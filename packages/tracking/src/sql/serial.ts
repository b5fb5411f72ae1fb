// One connection, one caller at a time: an async mutex, so a statement from one task never lands
// inside another task's open transaction on the same connection.

export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.then(() => undefined, () => undefined);
    return result;
  }
}
