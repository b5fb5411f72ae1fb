// Dead-code detection for codebook restarts (as in Dhariwal et al. 2020, Jukebox §3.3): a code
// unused for `deadAfter` consecutive steps is dead and gets re-initialised from encoder outputs.

export class DeadCodeTracker {
  private readonly lastUsed: Float64Array;

  constructor(readonly numEmbeddings: number, readonly deadAfter: number, startStep = 0) {
    this.lastUsed = new Float64Array(numEmbeddings).fill(startStep);
  }

  /** Records per-code usage counts seen at `step`. */
  observe(counts: ArrayLike<number>, step: number): void {
    for (let k = 0; k < this.numEmbeddings; k++) if (counts[k] > 0) this.lastUsed[k] = step;
  }

  /** Codes unused for at least `deadAfter` steps as of `step`. */
  deadCodes(step: number): number[] {
    const dead: number[] = [];
    for (let k = 0; k < this.numEmbeddings; k++) if (step - this.lastUsed[k] >= this.deadAfter) dead.push(k);
    return dead;
  }

  /** Marks codes as fresh (after a restart). */
  revive(codes: number[], step: number): void {
    for (const k of codes) this.lastUsed[k] = step;
  }
}
