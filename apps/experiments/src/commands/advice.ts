// Commands the CLI prints as advice, spelled so they run as printed from the repository root
// (the workspace links the vaelab bin into node_modules/.bin, where npx finds it offline).
import { isPostgresUrl, maskPassword } from '@vaelab/tracking';

const DEFAULT_DB = 'out/vaelab.db';

/** `npx vaelab <args>`, naming the store unless it is the default or came from VAELAB_DB. */
export function advice(args: string, db: string = DEFAULT_DB): string {
  if (db === DEFAULT_DB || db === process.env.VAELAB_DB) return `npx vaelab ${args}`;
  // A password never goes to the terminal: the user fills it in (or sets VAELAB_DB).
  const shown = isPostgresUrl(db) ? maskPassword(db) : db;
  return `npx vaelab ${args} --db ${/^[\w@%+=:,./-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, `'\\''`)}'`}`;
}
