// The CLI's commands as a plain map from name to handler; each returns the exit code.
import { compare } from './compare.js';
import { dashboard } from './dashboard.js';
import { exportCommand, ls, show } from './inspect.js';
import { type Command, resume, run, sweep } from './sweep.js';
import { worker } from './worker.js';

export type { Command };

export const commands: Record<string, Command> = { sweep, run, resume, worker, ls, show, export: exportCommand, compare, dashboard };
