/** The Kusto types a table column may have (its own module: both schema files use it). */
export type ColumnType = 'string' | 'int' | 'long' | 'real' | 'bool' | 'datetime' | 'dynamic';
