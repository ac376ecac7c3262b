/**
 * A state table as data: each event names the states it may leave and the one it leads to. Every status column in
 * ordo has one (order-status.ts, payment-status.ts, refund-request-status.ts, payment-refund-status.ts), and each
 * module's applier writes a move only when its table allows it (the contract: docs/ARCHITECTURE.md, "State tables").
 */
export interface Transition<S extends string, E extends string> {
  event: E;
  from: readonly S[];
  to: S;
}

export interface StateTable<S extends string, E extends string> {
  readonly transitions: readonly Transition<S, E>[];
  /** The state `event` leads to from `from`, or null when the table has no such move. */
  next(from: S, event: E): S | null;
  /** Whether some event moves a row from `from` to `to`. */
  canMove(from: S, to: S): boolean;
}

export function stateTable<S extends string, E extends string>(
  transitions: readonly Transition<S, E>[],
): StateTable<S, E> {
  return {
    transitions,
    next: (from, event) => transitions.find((t) => t.event === event && t.from.includes(from))?.to ?? null,
    canMove: (from, to) => transitions.some((t) => t.to === to && t.from.includes(from)),
  };
}

/** The one transition of `event` in a table, for code that writes the move elsewhere (a SQL function). */
export function transitionOf<S extends string, E extends string>(
  transitions: readonly Transition<S, E>[],
  event: E,
): { from: readonly S[]; to: S } {
  const found = transitions.filter((t) => t.event === event);
  if (found.length !== 1) throw new Error(`the state table has ${found.length} transitions for ${event}`);
  return { from: found[0]!.from, to: found[0]!.to };
}
