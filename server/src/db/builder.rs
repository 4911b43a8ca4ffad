//! SQL assembled at run time, with its bound values.
//!
//! sqlx's `QueryBuilder<Any>` writes every placeholder as `?`, which PostgreSQL does not
//! accept. [`SqlBuilder`] has the same small API (`new`, `push`, `push_bind`, `separated`,
//! `build`, `build_query_as`, `build_query_scalar`, `sql`) and writes `$1, $2, …`,
//! which both engines accept (sqlx's SQLite driver binds `$N` to the N-th value).

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{Any, Arguments, Encode, FromRow, Type};
use std::fmt::{Display, Write};

/// A statement being assembled; see the module docs.
pub(crate) struct SqlBuilder<'args> {
    sql: String,
    args: Option<AnyArguments<'args>>,
    count: usize,
}

impl<'args> SqlBuilder<'args> {
    pub(crate) fn new(init: impl Into<String>) -> Self {
        SqlBuilder {
            sql: init.into(),
            args: Some(AnyArguments::default()),
            count: 0,
        }
    }

    /// Appends SQL text (never a value: values go through [`SqlBuilder::push_bind`]).
    pub(crate) fn push(&mut self, sql: impl Display) -> &mut Self {
        write!(self.sql, "{sql}").expect("writing to a String");
        self
    }

    /// Binds `value` and appends its placeholder (`$N`).
    pub(crate) fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'args + Encode<'args, Any> + Type<Any>,
    {
        self.args
            .as_mut()
            .expect("SqlBuilder: built already")
            .add(value)
            .expect("binding a value");
        self.count += 1;
        write!(self.sql, "${}", self.count).expect("writing to a String");
        self
    }

    /// Binds `value` to the next placeholder number without writing it: for SQL given
    /// with its `$N` already in the text (`$1` for the first value bound, and so on).
    pub(crate) fn bind_numbered<T>(&mut self, value: T) -> &mut Self
    where
        T: 'args + Encode<'args, Any> + Type<Any>,
    {
        self.args
            .as_mut()
            .expect("SqlBuilder: built already")
            .add(value)
            .expect("binding a value");
        self.count += 1;
        self
    }

    /// A list whose items are separated by `separator`.
    pub(crate) fn separated<'b>(&'b mut self, separator: &'static str) -> Separated<'b, 'args> {
        Separated {
            builder: self,
            separator,
            first: true,
        }
    }

    /// The SQL so far.
    #[cfg(test)]
    pub(crate) fn sql(&self) -> &str {
        &self.sql
    }

    /// The statement with its values (once: the values move into it).
    pub(crate) fn build(&mut self) -> Query<'_, Any, AnyArguments<'_>> {
        let args = self.args.take().expect("SqlBuilder: built already");
        sqlx::query_with(&self.sql, args)
    }

    pub(crate) fn build_query_as<'q, T>(&'q mut self) -> QueryAs<'q, Any, T, AnyArguments<'q>>
    where
        T: for<'r> FromRow<'r, AnyRow>,
    {
        let args = self.args.take().expect("SqlBuilder: built already");
        sqlx::query_as_with(&self.sql, args)
    }

    pub(crate) fn build_query_scalar<'q, T>(
        &'q mut self,
    ) -> QueryScalar<'q, Any, T, AnyArguments<'q>>
    where
        (T,): for<'r> FromRow<'r, AnyRow>,
    {
        let args = self.args.take().expect("SqlBuilder: built already");
        sqlx::query_scalar_with(&self.sql, args)
    }
}

/// See [`SqlBuilder::separated`].
pub(crate) struct Separated<'b, 'args> {
    builder: &'b mut SqlBuilder<'args>,
    separator: &'static str,
    first: bool,
}

impl<'args> Separated<'_, 'args> {
    pub(crate) fn push_bind<T>(&mut self, value: T) -> &mut Self
    where
        T: 'args + Encode<'args, Any> + Type<Any>,
    {
        if !self.first {
            self.builder.push(self.separator);
        }
        self.first = false;
        self.builder.push_bind(value);
        self
    }
}

/// Turns the `?` and `?N` placeholders of SQL written for SQLite into `$N`, numbered as
/// SQLite numbers them (a bare `?` is one more than the largest number so far); a `?`
/// inside a quoted SQL string is left alone. For SQL assembled from pieces at run time,
/// where each piece cannot know its numbers.
pub(crate) fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut largest = 0usize;
    let mut quoted = false;
    let mut chars = sql.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                let mut digits = String::new();
                while let Some((_, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let n = if digits.is_empty() {
                    largest + 1
                } else {
                    digits.parse().expect("digits")
                };
                largest = largest.max(n);
                write!(out, "${n}").expect("writing to a String");
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_as_sqlite_numbers_them() {
        assert_eq!(
            numbered("SELECT ? , x FROM t WHERE a = ?2 AND b = ? AND c = '?'"),
            "SELECT $1 , x FROM t WHERE a = $2 AND b = $3 AND c = '?'"
        );
        assert_eq!(
            numbered("a = ?1 OR b = ?1 AND c = ?"),
            "a = $1 OR b = $1 AND c = $2"
        );
        assert_eq!(numbered("it''s ? 'a?b' ?"), "it''s $1 'a?b' $2");
    }

    #[tokio::test]
    async fn the_builder_numbers_its_values() {
        let db = super::super::Db::open("sqlite::memory:").await.unwrap();
        let mut q = SqlBuilder::new("SELECT ");
        q.push_bind(40i64)
            .push(" + ")
            .push_bind(2i64)
            .push(" WHERE 1 IN (");
        q.separated(", ").push_bind(0i64).push_bind(1i64);
        q.push(")");
        assert_eq!(q.sql(), "SELECT $1 + $2 WHERE 1 IN ($3, $4)");
        let n: i64 = q.build_query_scalar().fetch_one(db.pool()).await.unwrap();
        assert_eq!(n, 42);
    }
}
