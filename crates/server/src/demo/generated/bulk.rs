//! Loading generated rows in bulk: `COPY … FROM STDIN` on PostgreSQL, multi-row `INSERT`s on
//! SQLite. Rows are written as they are generated, never all held at once: a million customers
//! would be gigabytes of strings.

use std::cell::RefCell;
use std::io::Write;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use okno_db::{DbConnection, DbError};

/// Rows per `INSERT` on SQLite.
const INSERT_ROWS: usize = 500;

/// One value of a generated row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Text(String),
    Bool(bool),
    Null,
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Self::Int(n)
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Into::into)
    }
}

/// A row in the text format of `COPY`: tab-separated, `\N` for NULL, backslash escapes.
pub fn write_copy_line(out: &mut dyn Write, row: &[Value]) -> std::io::Result<()> {
    let mut line = String::with_capacity(256);
    for (n, value) in row.iter().enumerate() {
        if n > 0 {
            line.push('\t');
        }
        match value {
            Value::Int(i) => line.push_str(&i.to_string()),
            Value::Bool(b) => line.push(if *b { 't' } else { 'f' }),
            Value::Null => line.push_str("\\N"),
            Value::Text(text) => {
                for c in text.chars() {
                    match c {
                        '\\' => line.push_str("\\\\"),
                        '\t' => line.push_str("\\t"),
                        '\n' => line.push_str("\\n"),
                        '\r' => line.push_str("\\r"),
                        other => line.push(other),
                    }
                }
            }
        }
    }
    line.push('\n');
    out.write_all(line.as_bytes())
}

/// A value as an SQL literal, for SQLite's `INSERT`s.
pub fn sql_literal(value: &Value) -> String {
    match value {
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
        Value::Null => "NULL".to_owned(),
        Value::Text(text) => format!("'{}'", text.replace('\'', "''")),
    }
}

/// Loads `rows` into `$table` (every column, in the schema's order). `$table` names the
/// diesel table, so that PostgreSQL's `COPY` is typed; SQLite gets `INSERT`s by its name.
macro_rules! load {
    ($conn:expr, $table:ident, $rows:expr) => {{
        let rows = $rows;
        let conn: &mut okno_db::DbConnection = $conn;
        match &mut *conn {
            okno_db::DbConnection::Postgresql(pg) => {
                let rows = std::cell::RefCell::new(Some(rows));
                diesel::copy_from(okno_db::schema::$table::table)
                    .from_raw_data(okno_db::schema::$table::table, |out| {
                        $crate::demo::generated::bulk::copy_all(out, &rows)
                    })
                    .execute(pg)
                    .map(|_| ())
                    .map_err(okno_db::DbError::from)
            }
            okno_db::DbConnection::Sqlite(_) => {
                $crate::demo::generated::bulk::insert_all(conn, stringify!($table), rows)
            }
        }
    }};
}
pub(crate) use load;

/// The body of a `COPY`: every row the iterator in `rows` yields (once).
pub fn copy_all<I: Iterator<Item = Result<Vec<Value>, String>>>(
    out: &mut dyn Write,
    rows: &RefCell<Option<I>>,
) -> Result<(), diesel::result::Error> {
    let failed = |e: String| diesel::result::Error::SerializationError(e.into());
    let Some(rows) = rows.borrow_mut().take() else {
        return Ok(());
    };
    for row in rows {
        write_copy_line(out, &row.map_err(failed)?).map_err(|e| failed(e.to_string()))?;
    }
    Ok(())
}

pub fn insert_all(
    conn: &mut DbConnection,
    table: &str,
    rows: impl Iterator<Item = Result<Vec<Value>, String>>,
) -> Result<(), DbError> {
    let mut statement = String::new();
    let mut in_statement = 0;
    for row in rows {
        let row = row.map_err(DbError::Corrupt)?;
        statement.push_str(if in_statement == 0 {
            "INSERT INTO "
        } else {
            ","
        });
        if in_statement == 0 {
            statement.push_str(table);
            statement.push_str(" VALUES ");
        }
        statement.push('(');
        statement.push_str(&row.iter().map(sql_literal).collect::<Vec<_>>().join(","));
        statement.push(')');
        in_statement += 1;
        if in_statement == INSERT_ROWS {
            conn.batch_execute(&statement)?;
            statement.clear();
            in_statement = 0;
        }
    }
    if in_statement > 0 {
        conn.batch_execute(&statement)?;
    }
    Ok(())
}

#[derive(QueryableByName)]
struct IndexDefinition {
    #[diesel(sql_type = Text)]
    indexname: String,
    #[diesel(sql_type = Text)]
    indexdef: String,
}

/// Drops the secondary indexes of `tables` on PostgreSQL (not those behind a primary key or
/// a unique constraint, which the load must keep checking) and returns how to make them
/// again: an index built once over a million rows is minutes faster than kept up row by row.
pub fn drop_secondary_indexes(
    conn: &mut DbConnection,
    tables: &[&str],
) -> Result<Vec<String>, DbError> {
    let DbConnection::Postgresql(pg) = conn else {
        return Ok(Vec::new());
    };
    let names = tables
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(",");
    let indexes: Vec<IndexDefinition> = diesel::sql_query(format!(
        "SELECT indexname::TEXT AS indexname, indexdef FROM pg_indexes \
         WHERE schemaname = current_schema() AND tablename IN ({names}) \
         AND indexname NOT IN (SELECT conname FROM pg_constraint)"
    ))
    .load(pg)?;
    for index in &indexes {
        pg.batch_execute(&format!("DROP INDEX {}", index.indexname))?;
    }
    Ok(indexes.into_iter().map(|i| i.indexdef).collect())
}

pub fn create_indexes(conn: &mut DbConnection, definitions: &[String]) -> Result<(), DbError> {
    if definitions.is_empty() {
        return Ok(());
    }
    conn.batch_execute("SET LOCAL maintenance_work_mem = '512MB'")?;
    for definition in definitions {
        conn.batch_execute(definition)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_lines_escape_what_the_text_format_reserves() {
        let mut out = Vec::new();
        let row = [
            Value::Int(7),
            Value::Text("a\tb\\c\nd".into()),
            Value::Null,
            Value::Bool(true),
        ];
        write_copy_line(&mut out, &row).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "7\ta\\tb\\\\c\\nd\t\\N\tt\n"
        );
    }

    #[test]
    fn literals_double_quotes() {
        assert_eq!(sql_literal(&Value::Text("O'Brien".into())), "'O''Brien'");
        assert_eq!(sql_literal(&Value::Null), "NULL");
        assert_eq!(sql_literal(&Value::Bool(false)), "0");
    }
}
