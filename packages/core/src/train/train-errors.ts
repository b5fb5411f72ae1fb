// Errors the training loop raises, carrying the step so callers can report and record them.

export class NonFiniteLossError extends Error {
  constructor(readonly step: number, readonly part: string, readonly value: number, readonly loss: number) {
    super(`non-finite ${part === 'loss' ? 'loss' : `loss part "${part}"`} at step ${step}: ${part} = ${value}, total loss = ${loss}; ` +
      'training stopped (try a lower learningRate or set gradClipNorm)');
    this.name = 'NonFiniteLossError';
  }
}

export class TrainingStopped extends Error {
  constructor(readonly step: number) {
    super(`training stopped on request at step ${step}`);
    this.name = 'TrainingStopped';
  }
}

/** The first non-finite value, naming a loss part before the total it feeds. */
export function firstNonFinite(values: Record<string, number>, partNames: string[]): string | null {
  for (const name of [...partNames, 'loss', 'gradNorm']) {
    if (!Number.isFinite(values[name])) return name;
  }
  return null;
}
