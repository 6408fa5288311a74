//! The SQL subset SelectObject runs (crate README, "SelectObject"): parsing an expression
//! into a [`Query`]. Anything outside the subset is refused with the reason.
//!
//! ```text
//! select <* | col, … | count(*) | sum(col) | avg(col) | min(col) | max(col), …>
//!   from ossobject[.path[*]] [[as] alias] [where <condition>] [limit N]
//! col       := _N | name | alias.name | alias._N
//! condition := condition and|or condition | not condition | ( condition )
//!            | operand (= | != | <> | < | <= | > | >=) operand
//!            | operand [not] like 'pattern' | operand is [not] null
//! operand   := col | 'string' | number
//! ```

/// A column reference: `_N` (1-based position) or a name (CSV header or JSON field).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Column {
    /// `_N`, 1-based.
    Index(usize),
    /// A header name or a JSON field name.
    Name(String),
}

/// A literal or a column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    /// A column of the record.
    Column(Column),
    /// A quoted string.
    Text(String),
    /// A number.
    Number(f64),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    /// `=`
    Eq,
    /// `!=` or `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// A `where` condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Condition {
    /// Both hold.
    And(Box<Condition>, Box<Condition>),
    /// Either holds.
    Or(Box<Condition>, Box<Condition>),
    /// It does not hold.
    Not(Box<Condition>),
    /// A comparison.
    Compare(Operand, CmpOp, Operand),
    /// `like 'pattern'` (`%` any run, `_` one character); `negated` for `not like`.
    Like {
        /// The value matched.
        operand: Operand,
        /// The pattern.
        pattern: String,
        /// `not like`.
        negated: bool,
    },
    /// `is null` / `is not null`.
    IsNull {
        /// The value tested.
        operand: Operand,
        /// `is not null`.
        negated: bool,
    },
}

/// An aggregate function of the projection.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Aggregate {
    /// `count(*)`.
    Count,
    /// `sum(col)`.
    Sum(Column),
    /// `avg(col)`.
    Avg(Column),
    /// `min(col)`.
    Min(Column),
    /// `max(col)`.
    Max(Column),
}

/// What the query outputs per record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Projection {
    /// `*`: the whole record.
    All,
    /// The listed columns.
    Columns(Vec<Column>),
    /// Aggregates: one output record after the last input record.
    Aggregates(Vec<Aggregate>),
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Query {
    /// What is output.
    pub(crate) projection: Projection,
    /// `from ossobject.a.b[*]`: the JSON path to the records (empty for `from ossobject`).
    pub(crate) path: Vec<String>,
    /// The `where` condition.
    pub(crate) filter: Option<Condition>,
    /// `limit N`.
    pub(crate) limit: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Number(f64),
    Symbol(&'static str),
}

fn tokenize(sql: &str) -> Result<Vec<Token>, String> {
    const SYMBOLS: &[&str] = &[
        "<=", ">=", "!=", "<>", "=", "<", ">", "(", ")", ",", "*", ".", "[", "]",
    ];
    let mut tokens = Vec::new();
    let mut rest = sql.trim();
    while !rest.is_empty() {
        let c = rest.chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            rest = rest.trim_start();
        } else if c == '\'' {
            let mut text = String::new();
            let mut chars = rest[1..].char_indices();
            let end = loop {
                match chars.next() {
                    Some((i, '\'')) if rest[2 + i..].starts_with('\'') => {
                        text.push('\'');
                        chars.next();
                    }
                    Some((i, '\'')) => break i + 2,
                    Some((_, ch)) => text.push(ch),
                    None => return Err("an unterminated string literal".to_owned()),
                }
            };
            tokens.push(Token::Text(text));
            rest = &rest[end..];
        } else if c.is_ascii_digit()
            || (c == '-' && rest[1..].starts_with(|d: char| d.is_ascii_digit()))
        {
            let end = 1 + rest[1..]
                .find(|d: char| !(d.is_ascii_digit() || d == '.'))
                .unwrap_or(rest.len() - 1);
            let number = rest[..end]
                .parse()
                .map_err(|_| format!("the number {:?}", &rest[..end]))?;
            tokens.push(Token::Number(number));
            rest = &rest[end..];
        } else if c.is_alphabetic() || c == '_' {
            let end = rest
                .find(|d: char| !(d.is_alphanumeric() || d == '_'))
                .unwrap_or(rest.len());
            tokens.push(Token::Word(rest[..end].to_owned()));
            rest = &rest[end..];
        } else if let Some(symbol) = SYMBOLS.iter().find(|s| rest.starts_with(**s)) {
            tokens.push(Token::Symbol(symbol));
            rest = &rest[symbol.len()..];
        } else {
            return Err(format!("the character {c:?}"));
        }
    }
    Ok(tokens)
}

/// Parses `sql`; the error names what is outside the subset.
pub(crate) fn parse(sql: &str) -> Result<Query, String> {
    let mut p = Parser {
        tokens: tokenize(sql)?,
        at: 0,
        alias: None,
    };
    p.expect_word("select")?;
    let projection = p.projection()?;
    p.expect_word("from")?;
    p.expect_word("ossobject")?;
    let path = p.path()?;
    if p.eat_word("as") {
        p.alias = Some(p.word()?);
    } else if let Some(Token::Word(w)) = p.peek() {
        if !["where", "limit"].contains(&w.to_ascii_lowercase().as_str()) {
            p.alias = Some(w.clone());
            p.at += 1;
        }
    }
    let filter = if p.eat_word("where") {
        Some(p.or()?)
    } else {
        None
    };
    let limit = if p.eat_word("limit") {
        match p.next() {
            Some(Token::Number(n)) if n >= 0.0 && n.fract() == 0.0 => Some(n as u64),
            other => return Err(format!("limit {other:?}")),
        }
    } else {
        None
    };
    if let Some(extra) = p.peek() {
        return Err(format!("{extra:?} after the query"));
    }
    let projection = p.resolve_projection(projection)?;
    let filter = filter.map(|f| p.resolve_condition(f)).transpose()?;
    Ok(Query {
        projection,
        path,
        filter,
        limit,
    })
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    alias: Option<String>,
}

/// A column before the alias is known: `[qualifier.]name`.
type RawColumn = (Option<String>, String);

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn eat_symbol(&mut self, symbol: &str) -> bool {
        let found = matches!(self.peek(), Some(Token::Symbol(s)) if *s == symbol);
        self.at += usize::from(found);
        found
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let found = matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word));
        self.at += usize::from(found);
        found
    }

    fn expect_word(&mut self, word: &str) -> Result<(), String> {
        if self.eat_word(word) {
            Ok(())
        } else {
            Err(format!("{:?} where {word} was expected", self.peek()))
        }
    }

    fn expect_symbol(&mut self, symbol: &str) -> Result<(), String> {
        if self.eat_symbol(symbol) {
            Ok(())
        } else {
            Err(format!("{:?} where {symbol} was expected", self.peek()))
        }
    }

    fn word(&mut self) -> Result<String, String> {
        match self.next() {
            Some(Token::Word(w)) => Ok(w),
            other => Err(format!("{other:?} where a name was expected")),
        }
    }

    /// `.a.b[*]` after `ossobject`.
    fn path(&mut self) -> Result<Vec<String>, String> {
        let mut path = Vec::new();
        while self.eat_symbol(".") {
            path.push(self.word()?);
        }
        if self.eat_symbol("[") {
            self.expect_symbol("*")?;
            self.expect_symbol("]")?;
        }
        Ok(path)
    }

    fn raw_column(&mut self) -> Result<RawColumn, String> {
        let first = self.word()?;
        if self.eat_symbol(".") {
            Ok((Some(first), self.word()?))
        } else {
            Ok((None, first))
        }
    }

    fn projection(&mut self) -> Result<Vec<(Option<String>, RawColumn)>, String> {
        if self.eat_symbol("*") {
            return Ok(Vec::new());
        }
        let mut items = Vec::new();
        loop {
            let column = self.raw_column()?;
            if column.0.is_none() && self.eat_symbol("(") {
                let argument = if self.eat_symbol("*") {
                    (None, "*".to_owned())
                } else {
                    self.raw_column()?
                };
                self.expect_symbol(")")?;
                items.push((Some(column.1.to_ascii_lowercase()), argument));
            } else {
                items.push((None, column));
            }
            if !self.eat_symbol(",") {
                return Ok(items);
            }
        }
    }

    fn or(&mut self) -> Result<Condition, String> {
        let mut left = self.and()?;
        while self.eat_word("or") {
            left = Condition::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Condition, String> {
        let mut left = self.not()?;
        while self.eat_word("and") {
            left = Condition::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Condition, String> {
        if self.eat_word("not") {
            return Ok(Condition::Not(Box::new(self.not()?)));
        }
        if self.eat_symbol("(") {
            let inner = self.or()?;
            self.expect_symbol(")")?;
            return Ok(inner);
        }
        let operand = self.operand()?;
        if self.eat_word("is") {
            let negated = self.eat_word("not");
            self.expect_word("null")?;
            return Ok(Condition::IsNull { operand, negated });
        }
        let negated = self.eat_word("not");
        if self.eat_word("like") {
            return match self.next() {
                Some(Token::Text(pattern)) => Ok(Condition::Like {
                    operand,
                    pattern,
                    negated,
                }),
                other => Err(format!("like {other:?}")),
            };
        }
        if negated {
            return Err("not without like".to_owned());
        }
        let op = match self.next() {
            Some(Token::Symbol("=")) => CmpOp::Eq,
            Some(Token::Symbol("!=" | "<>")) => CmpOp::Ne,
            Some(Token::Symbol("<")) => CmpOp::Lt,
            Some(Token::Symbol("<=")) => CmpOp::Le,
            Some(Token::Symbol(">")) => CmpOp::Gt,
            Some(Token::Symbol(">=")) => CmpOp::Ge,
            other => return Err(format!("{other:?} where a comparison was expected")),
        };
        Ok(Condition::Compare(operand, op, self.operand()?))
    }

    /// An operand; columns stay raw (qualifier in `Text` form is resolved later).
    fn operand(&mut self) -> Result<Operand, String> {
        match self.peek().cloned() {
            Some(Token::Text(t)) => {
                self.at += 1;
                Ok(Operand::Text(t))
            }
            Some(Token::Number(n)) => {
                self.at += 1;
                Ok(Operand::Number(n))
            }
            Some(Token::Word(_)) => {
                let (qualifier, name) = self.raw_column()?;
                let joined = match qualifier {
                    Some(q) => format!("{q}.{name}"),
                    None => name,
                };
                Ok(Operand::Column(Column::Name(joined)))
            }
            other => Err(format!("{other:?} where a value was expected")),
        }
    }

    /// A raw column against the alias: `s.x` needs alias `s`; `_N` is a position.
    fn column(&self, (qualifier, name): RawColumn) -> Result<Column, String> {
        if let Some(q) = qualifier {
            if self.alias.as_deref() != Some(q.as_str()) {
                return Err(format!("the unknown table alias {q}"));
            }
        }
        match name.strip_prefix('_').map(str::parse::<usize>) {
            Some(Ok(n)) if n >= 1 => Ok(Column::Index(n)),
            _ => Ok(Column::Name(name)),
        }
    }

    fn resolve_projection(
        &self,
        items: Vec<(Option<String>, RawColumn)>,
    ) -> Result<Projection, String> {
        if items.is_empty() {
            return Ok(Projection::All);
        }
        let aggregates = items.iter().filter(|(f, _)| f.is_some()).count();
        if aggregates == 0 {
            let columns = items
                .into_iter()
                .map(|(_, c)| self.column(c))
                .collect::<Result<_, _>>()?;
            return Ok(Projection::Columns(columns));
        }
        if aggregates != items.len() {
            return Err("aggregates mixed with columns".to_owned());
        }
        let mut out = Vec::new();
        for (function, argument) in items {
            let function = function.unwrap_or_default();
            let aggregate = match (function.as_str(), argument.1.as_str()) {
                ("count", "*") => Aggregate::Count,
                (_, "*") => return Err(format!("{function}(*)")),
                ("sum", _) => Aggregate::Sum(self.column(argument)?),
                ("avg", _) => Aggregate::Avg(self.column(argument)?),
                ("min", _) => Aggregate::Min(self.column(argument)?),
                ("max", _) => Aggregate::Max(self.column(argument)?),
                _ => return Err(format!("the function {function}")),
            };
            out.push(aggregate);
        }
        Ok(Projection::Aggregates(out))
    }

    fn resolve_operand(&self, operand: Operand) -> Result<Operand, String> {
        match operand {
            Operand::Column(Column::Name(joined)) => {
                let raw = match joined.split_once('.') {
                    Some((q, n)) => (Some(q.to_owned()), n.to_owned()),
                    None => (None, joined),
                };
                Ok(Operand::Column(self.column(raw)?))
            }
            other => Ok(other),
        }
    }

    fn resolve_condition(&self, c: Condition) -> Result<Condition, String> {
        let boxed = |c: Box<Condition>| self.resolve_condition(*c).map(Box::new);
        Ok(match c {
            Condition::And(a, b) => Condition::And(boxed(a)?, boxed(b)?),
            Condition::Or(a, b) => Condition::Or(boxed(a)?, boxed(b)?),
            Condition::Not(a) => Condition::Not(boxed(a)?),
            Condition::Compare(a, op, b) => {
                Condition::Compare(self.resolve_operand(a)?, op, self.resolve_operand(b)?)
            }
            Condition::Like {
                operand,
                pattern,
                negated,
            } => Condition::Like {
                operand: self.resolve_operand(operand)?,
                pattern,
                negated,
            },
            Condition::IsNull { operand, negated } => Condition::IsNull {
                operand: self.resolve_operand(operand)?,
                negated,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_subset() {
        let q = parse(
            "select _1, s.name from ossobject s where _2 > 10 and not s.name like 'a%' limit 3",
        )
        .unwrap();
        assert_eq!(
            q.projection,
            Projection::Columns(vec![Column::Index(1), Column::Name("name".into())])
        );
        assert_eq!(q.limit, Some(3));
        assert!(matches!(q.filter, Some(Condition::And(..))));
        let q = parse("SELECT count(*), max(_3) FROM ossobject.items[*]").unwrap();
        assert_eq!(q.path, ["items"]);
        assert_eq!(
            q.projection,
            Projection::Aggregates(vec![Aggregate::Count, Aggregate::Max(Column::Index(3))])
        );
    }

    #[test]
    fn refuses_what_is_outside_the_subset() {
        for sql in [
            "select * from other",
            "select _1 from ossobject group by _1",
            "select upper(_1) from ossobject",
            "select t._1 from ossobject s",
            "select * from ossobject where _1 in (1, 2)",
            "select * from ossobject where _1 = 'open",
        ] {
            assert!(parse(sql).is_err(), "{sql}");
        }
    }
}
