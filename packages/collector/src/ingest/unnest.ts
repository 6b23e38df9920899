import { sql, type RawBuilder } from 'kysely';

/** A column of a bulk write: its name and the PostgreSQL type its array parameter is cast to. */
export type Column = readonly [name: string, type: string];

/**
 * `(col, …) select * from unnest($1::type[], …)`: a bulk insert with one parameter per column
 * rather than per value. The statement text is the same for every batch size, so the server
 * plans it once, and building it costs the same for 1 row or 1,000. Names and types come from
 * code, never from input; the values travel as parameters.
 */
export function unnestInsert(columns: readonly Column[], rows: readonly unknown[][]): RawBuilder<unknown> {
  const arrays = columns.map((_, i) => rows.map((r) => r[i] ?? null));
  const names = sql.raw(`(${columns.map(([n]) => n).join(', ')})`);
  const params = sql.join(columns.map(([, type], i) => sql`${arrays[i]}::${sql.raw(type)}[]`));
  return sql`${names} select * from unnest(${params})`;
}
