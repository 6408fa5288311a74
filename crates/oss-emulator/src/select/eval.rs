//! Running a [`Query`] over records: conditions, projections and aggregates.

use std::sync::Arc;

use serde_json::Value;

use super::sql::{Aggregate, CmpOp, Column, Condition, Operand, Projection, Query};

/// One input record: a CSV row (fields, with the header names when the header is used) or a
/// JSON value.
#[derive(Debug, Clone)]
pub(crate) enum Record {
    /// A CSV row.
    Csv {
        /// The fields in order.
        fields: Vec<String>,
        /// The header's names (`FileHeaderInfo` `Use`), else empty.
        header: Arc<[String]>,
    },
    /// A JSON record.
    Json(Value),
}

/// A scalar as conditions see it.
#[derive(Debug, Clone, PartialEq)]
enum Scalar {
    Null,
    Number(f64),
    Text(String),
}

impl Record {
    /// The column's value as JSON (`null` when absent).
    fn get(&self, column: &Column) -> Value {
        match (self, column) {
            (Record::Csv { fields, .. }, Column::Index(n)) => fields
                .get(n - 1)
                .map_or(Value::Null, |f| Value::from(f.as_str())),
            (Record::Csv { fields, header }, Column::Name(name)) => header
                .iter()
                .position(|h| h == name)
                .and_then(|i| fields.get(i))
                .map_or(Value::Null, |f| Value::from(f.as_str())),
            (Record::Json(Value::Object(map)), Column::Name(name)) => {
                map.get(name).cloned().unwrap_or(Value::Null)
            }
            (Record::Json(Value::Object(map)), Column::Index(n)) => {
                map.values().nth(n - 1).cloned().unwrap_or(Value::Null)
            }
            (Record::Json(_), _) => Value::Null,
        }
    }
}

fn scalar(value: Value) -> Scalar {
    match value {
        Value::Null => Scalar::Null,
        Value::Number(n) => n.as_f64().map_or(Scalar::Null, Scalar::Number),
        Value::String(s) => Scalar::Text(s),
        other => Scalar::Text(other.to_string()),
    }
}

fn operand(record: &Record, operand: &Operand) -> Scalar {
    match operand {
        Operand::Column(c) => scalar(record.get(c)),
        Operand::Text(t) => Scalar::Text(t.clone()),
        Operand::Number(n) => Scalar::Number(*n),
    }
}

/// A text compared with a number is read as a number (CSV fields are text).
fn as_number(s: &Scalar) -> Option<f64> {
    match s {
        Scalar::Number(n) => Some(*n),
        Scalar::Text(t) => t.trim().parse().ok(),
        Scalar::Null => None,
    }
}

fn compare(a: &Scalar, op: CmpOp, b: &Scalar) -> bool {
    use std::cmp::Ordering;
    let ordering = match (a, b) {
        (Scalar::Null, _) | (_, Scalar::Null) => return false,
        (Scalar::Text(x), Scalar::Text(y)) => Some(x.cmp(y)),
        _ => match (as_number(a), as_number(b)) {
            (Some(x), Some(y)) => x.partial_cmp(&y),
            _ => None,
        },
    };
    let Some(ordering) = ordering else {
        return false;
    };
    match op {
        CmpOp::Eq => ordering == Ordering::Equal,
        CmpOp::Ne => ordering != Ordering::Equal,
        CmpOp::Lt => ordering == Ordering::Less,
        CmpOp::Le => ordering != Ordering::Greater,
        CmpOp::Gt => ordering == Ordering::Greater,
        CmpOp::Ge => ordering != Ordering::Less,
    }
}

/// SQL `like`: `%` matches any run of characters, `_` exactly one.
fn like(text: &[char], pattern: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('%', rest)) => (0..=text.len()).any(|i| like(&text[i..], rest)),
        Some((p, rest)) => text
            .split_first()
            .is_some_and(|(t, tail)| (*p == '_' || p == t) && like(tail, rest)),
    }
}

/// Whether `record` satisfies `condition`.
pub(crate) fn matches(record: &Record, condition: &Condition) -> bool {
    match condition {
        Condition::And(a, b) => matches(record, a) && matches(record, b),
        Condition::Or(a, b) => matches(record, a) || matches(record, b),
        Condition::Not(a) => !matches(record, a),
        Condition::Compare(a, op, b) => compare(&operand(record, a), *op, &operand(record, b)),
        Condition::Like {
            operand: o,
            pattern,
            negated,
        } => match operand(record, o) {
            Scalar::Text(t) => {
                let text: Vec<char> = t.chars().collect();
                let pattern: Vec<char> = pattern.chars().collect();
                like(&text, &pattern) != *negated
            }
            _ => false,
        },
        Condition::IsNull {
            operand: o,
            negated,
        } => (operand(record, o) == Scalar::Null) != *negated,
    }
}

/// The output fields of one record for a column projection: (name, value) pairs.
pub(crate) fn project(record: &Record, columns: &[Column]) -> Vec<(String, Value)> {
    columns
        .iter()
        .map(|c| {
            let name = match c {
                Column::Index(n) => format!("_{n}"),
                Column::Name(name) => name.clone(),
            };
            (name, record.get(c))
        })
        .collect()
}

/// Running aggregates over the matching records.
#[derive(Debug)]
pub(crate) struct Totals {
    aggregates: Vec<Aggregate>,
    count: u64,
    /// Per aggregate: (sum, numeric count, min, max).
    state: Vec<(f64, u64, Option<f64>, Option<f64>)>,
}

impl Totals {
    /// Totals for `aggregates`, none seen yet.
    pub(crate) fn new(aggregates: &[Aggregate]) -> Self {
        Self {
            aggregates: aggregates.to_vec(),
            count: 0,
            state: vec![(0.0, 0, None, None); aggregates.len()],
        }
    }

    /// Adds a matching record.
    pub(crate) fn add(&mut self, record: &Record) {
        self.count += 1;
        for (aggregate, (sum, n, min, max)) in self.aggregates.iter().zip(&mut self.state) {
            let column = match aggregate {
                Aggregate::Count => continue,
                Aggregate::Sum(c) | Aggregate::Avg(c) | Aggregate::Min(c) | Aggregate::Max(c) => c,
            };
            if let Some(x) = as_number(&scalar(record.get(column))) {
                *sum += x;
                *n += 1;
                *min = Some(min.map_or(x, |m| m.min(x)));
                *max = Some(max.map_or(x, |m| m.max(x)));
            }
        }
    }

    /// The output fields: `_1`, `_2`, … in projection order (`null` for an aggregate over
    /// no numbers).
    pub(crate) fn finish(&self) -> Vec<(String, Value)> {
        let number = |x: Option<f64>| x.map_or(Value::Null, number_value);
        self.aggregates
            .iter()
            .zip(&self.state)
            .enumerate()
            .map(|(i, (aggregate, (sum, n, min, max)))| {
                let value = match aggregate {
                    Aggregate::Count => Value::from(self.count),
                    Aggregate::Sum(_) => number((*n > 0).then_some(*sum)),
                    Aggregate::Avg(_) => number((*n > 0).then(|| *sum / *n as f64)),
                    Aggregate::Min(_) => number(*min),
                    Aggregate::Max(_) => number(*max),
                };
                (format!("_{}", i + 1), value)
            })
            .collect()
    }
}

/// A number as JSON: whole numbers without a fraction.
fn number_value(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

/// What [`Query::projection`] makes of the records, in order; aggregates end with one record.
pub(crate) fn run(
    query: &Query,
    records: impl Iterator<Item = Record>,
    mut emit: impl FnMut(Output<'_>),
) {
    let limit = query.limit.unwrap_or(u64::MAX);
    let mut totals = match &query.projection {
        Projection::Aggregates(a) => Some(Totals::new(a)),
        _ => None,
    };
    let mut emitted = 0;
    for record in records {
        if emitted >= limit {
            break;
        }
        if !query.filter.as_ref().is_none_or(|f| matches(&record, f)) {
            continue;
        }
        emitted += 1;
        match (&query.projection, &mut totals) {
            (_, Some(t)) => t.add(&record),
            (Projection::Columns(c), None) => emit(Output::Fields(project(&record, c))),
            _ => emit(Output::Whole(&record)),
        }
    }
    if let Some(t) = totals {
        emit(Output::Fields(t.finish()));
    }
}

/// One output record.
#[derive(Debug)]
pub(crate) enum Output<'r> {
    /// `select *`: the input record as it is.
    Whole(&'r Record),
    /// Named values (projected columns or aggregates).
    Fields(Vec<(String, Value)>),
}
