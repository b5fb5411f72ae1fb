// Runs a zod schema at the edge and turns its issues into one error naming each bad field.
import type { z } from 'zod';

export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

/** Parses `input`; on failure throws `${what}: field: message; ...`. */
export function parseWith<T extends z.ZodType>(schema: T, input: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw new Error(`${what}: ${formatIssues(result.error)}`);
  return result.data;
}
