import { sql, type RawBuilder } from 'kysely';

/** A column of a bulk write: its name and the PostgreSQL type its array parameter is cast to. */
export type Column = readonly [name: string, type: string];

/**
 * `unnest($1::type[], …) as r(col, …)`: rows passed as one array parameter per column rather
 * than one parameter per value. The statement text is the same for every batch size, so the
 * server plans it once, and building it costs the same for 1 row or 1,000. Names and types come
 * from code, never from input; the values travel as parameters.
 */
export function unnestRows(columns: readonly Column[], rows: readonly unknown[][]): RawBuilder<unknown> {
  const arrays = columns.map((_, i) => rows.map((r) => r[i] ?? null));
  const params = sql.join(columns.map(([, type], i) => sql`${arrays[i]}::${sql.raw(type)}[]`));
  return sql`unnest(${params}) as r(${sql.raw(names(columns))})`;
}

/** `(col, …) select * from unnest(…)`: the tail of a bulk insert. */
export function unnestInsert(columns: readonly Column[], rows: readonly unknown[][]): RawBuilder<unknown> {
  return sql`(${sql.raw(names(columns))}) select * from ${unnestRows(columns, rows)}`;
}

export const names = (columns: readonly Column[]) => columns.map(([n]) => n).join(', ');
