/** A change a command wants to make, computed purely and shown before it is applied. */
export type Change =
  | {
      readonly kind: 'write';
      readonly path: string;
      /** The bytes the plan was made from (null: the file does not exist). Apply refuses if the file changed since. */
      readonly before: Buffer | null;
      readonly after: Buffer;
      readonly reason: string;
    }
  | { readonly kind: 'mkdir'; readonly path: string; readonly mode?: number; readonly reason: string };

export interface Plan {
  readonly changes: readonly Change[];
}

/** Whether a change would alter anything. */
export function isNoop(change: Change): boolean {
  return change.kind === 'write' && change.before !== null && change.before.equals(change.after);
}

/** The changes that would do something. */
export function effectiveChanges(plan: Plan): Change[] {
  return plan.changes.filter((c) => !isNoop(c));
}
