// Shared by the two ways ordo keeps statements prepared: PostgreSQL connections (connect.ts) and PGlite (pglite-statements.ts).

/** distinct statements one session keeps prepared; beyond that (e.g. `in (...)` lists of every length) they run unnamed */
export const PREPARED_STATEMENTS = 500;

/** PostgreSQL's "cached plan must not change result type": a `*` statement prepared before its table changed */
export const PLAN_RESULT_CHANGED = '0A000';
