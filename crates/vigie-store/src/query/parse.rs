//! Parsing a query string into an expression tree, with positions for errors.

use std::fmt;

use chrono::NaiveDate;

/// Where a word or phrase must occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Title, lead or body.
    Any,
    /// The title.
    Title,
    /// An author's name.
    Author,
    /// The site's name or host.
    Site,
    /// The name of an entity the article mentions.
    Entity,
}

/// A span of time counted back from now (`7d`, `24h`, `2w`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relative {
    /// How many units.
    pub amount: u32,
    /// `h`, `d` or `w`.
    pub unit: char,
}

impl Relative {
    /// The span in seconds.
    pub fn seconds(self) -> i64 {
        let unit = match self.unit {
            'h' => 3600,
            'd' => 86_400,
            _ => 7 * 86_400,
        };
        i64::from(self.amount) * unit
    }
}

/// A bound of a publication-date filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateBound {
    /// No bound on this side.
    Open,
    /// A calendar day (in the article's own time zone), inclusive.
    Day(NaiveDate),
    /// A moment counted back from now.
    Ago(Relative),
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A word (`words.len() == 1`, `phrase == false`) or an exact phrase in a field.
    Text {
        /// Where it must occur.
        field: Field,
        /// The words as typed.
        words: Vec<String>,
        /// Whether the words must be adjacent and in order.
        phrase: bool,
        /// Character offset in the query, for error messages.
        pos: usize,
    },
    /// The article's language (ISO 639-1).
    Lang(String),
    /// Publication between two bounds, inclusive.
    Published {
        /// The earliest.
        from: DateBound,
        /// The latest.
        to: DateBound,
    },
    /// Every part must match.
    And(Vec<Expr>),
    /// Any part may match.
    Or(Vec<Expr>),
    /// The part must not match.
    Not(Box<Expr>),
}

/// A query that cannot be read, with the character position of the problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// The query as given.
    pub query: String,
    /// Character offset (0-based) of the problem.
    pub position: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} (at character {})", self.message, self.position + 1)?;
        writeln!(f, "  {}", self.query)?;
        write!(f, "  {}^", " ".repeat(self.position))
    }
}

impl std::error::Error for QueryError {}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    And,
    Or,
    Not,
    /// `-` glued to the next term.
    Minus,
    Word(String),
    Phrase(String),
    /// `name:` glued to the next term.
    FieldPrefix(String),
}

const FIELDS: &str = "title, author, site, lang, published, entity";

/// Parses a query string.
pub fn parse(query: &str) -> Result<Expr, QueryError> {
    let toks = lex(query)?;
    let mut p = Parser {
        query,
        toks,
        at: 0,
        len: query.chars().count(),
    };
    if p.toks.is_empty() {
        return Err(p.error(0, "the query is empty"));
    }
    let e = p.or_expr(Field::Any)?;
    if let Some((pos, t)) = p.toks.get(p.at) {
        let msg = match t {
            Tok::Close => "this ')' has no matching '('".to_string(),
            _ => "unexpected text".to_string(),
        };
        return Err(p.error(*pos, &msg));
    }
    Ok(e)
}

fn lex(query: &str) -> Result<Vec<(usize, Tok)>, QueryError> {
    let chars: Vec<char> = query.chars().collect();
    let err = |position: usize, message: &str| QueryError {
        query: query.to_string(),
        position,
        message: message.to_string(),
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push((i, Tok::Open));
            i += 1;
        } else if c == ')' {
            out.push((i, Tok::Close));
            i += 1;
        } else if is_quote(c) {
            let start = i;
            i += 1;
            let begin = i;
            while i < chars.len() && !is_quote(chars[i]) {
                i += 1;
            }
            if i == chars.len() {
                return Err(err(start, "this quotation mark is never closed"));
            }
            out.push((start, Tok::Phrase(chars[begin..i].iter().collect())));
            i += 1;
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !matches!(chars[i], '(' | ')')
                && !is_quote(chars[i])
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if let Some(rest) = word.strip_prefix('-') {
                if rest.is_empty() && !next_is_term(&chars, i) {
                    return Err(err(start, "nothing to exclude after '-'"));
                }
                out.push((start, Tok::Minus));
                if !rest.is_empty() {
                    push_word(&mut out, start + 1, rest, query)?;
                }
                continue;
            }
            match word.as_str() {
                "AND" => out.push((start, Tok::And)),
                "OR" => out.push((start, Tok::Or)),
                "NOT" => out.push((start, Tok::Not)),
                _ => push_word(&mut out, start, &word, query)?,
            }
        }
    }
    Ok(out)
}

/// Whether a term starts right at `i` (a `-` glued to a quote or parenthesis).
fn next_is_term(chars: &[char], i: usize) -> bool {
    chars.get(i).is_some_and(|&c| c == '(' || is_quote(c))
}

fn push_word(
    out: &mut Vec<(usize, Tok)>,
    start: usize,
    word: &str,
    query: &str,
) -> Result<(), QueryError> {
    if let Some((name, value)) = word.split_once(':') {
        let known = matches!(
            name,
            "title" | "author" | "site" | "lang" | "published" | "entity"
        );
        if known {
            out.push((start, Tok::FieldPrefix(name.to_string())));
            if !value.is_empty() {
                let value_at = start + name.chars().count() + 1;
                out.push((value_at, Tok::Word(value.to_string())));
            }
            return Ok(());
        }
        if !name.is_empty() && name.chars().all(char::is_alphabetic) {
            return Err(QueryError {
                query: query.to_string(),
                position: start,
                message: format!(
                    "unknown field '{name}' (fields are {FIELDS}; put text with ':' in quotes)"
                ),
            });
        }
    }
    out.push((start, Tok::Word(word.to_string())));
    Ok(())
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '«' | '»' | '“' | '”' | '„')
}

struct Parser<'q> {
    query: &'q str,
    toks: Vec<(usize, Tok)>,
    at: usize,
    len: usize,
}

impl Parser<'_> {
    fn error(&self, position: usize, message: &str) -> QueryError {
        QueryError {
            query: self.query.to_string(),
            position,
            message: message.to_string(),
        }
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|(_, t)| t)
    }

    fn pos(&self) -> usize {
        self.toks.get(self.at).map_or(self.len, |(p, _)| *p)
    }

    fn or_expr(&mut self, field: Field) -> Result<Expr, QueryError> {
        let mut parts = vec![self.and_expr(field)?];
        while self.peek() == Some(&Tok::Or) {
            let at = self.pos();
            self.at += 1;
            if self.starts_term() {
                parts.push(self.and_expr(field)?);
            } else {
                return Err(self.error(at, "OR needs a term on both sides"));
            }
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Expr::Or(parts)
        })
    }

    fn starts_term(&self) -> bool {
        matches!(
            self.peek(),
            Some(
                Tok::Open
                    | Tok::Not
                    | Tok::Minus
                    | Tok::Word(_)
                    | Tok::Phrase(_)
                    | Tok::FieldPrefix(_)
            )
        )
    }

    fn and_expr(&mut self, field: Field) -> Result<Expr, QueryError> {
        let mut parts = vec![self.unary(field)?];
        loop {
            match self.peek() {
                Some(Tok::And) => {
                    let at = self.pos();
                    self.at += 1;
                    if !self.starts_term() {
                        return Err(self.error(at, "AND needs a term on both sides"));
                    }
                    parts.push(self.unary(field)?);
                }
                _ if self.starts_term() => parts.push(self.unary(field)?),
                _ => break,
            }
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Expr::And(parts)
        })
    }

    fn unary(&mut self, field: Field) -> Result<Expr, QueryError> {
        match self.peek() {
            Some(Tok::Not | Tok::Minus) => {
                let at = self.pos();
                self.at += 1;
                if !self.starts_term() {
                    return Err(self.error(at, "nothing to exclude after NOT"));
                }
                Ok(Expr::Not(Box::new(self.unary(field)?)))
            }
            _ => self.primary(field),
        }
    }

    fn primary(&mut self, field: Field) -> Result<Expr, QueryError> {
        let at = self.pos();
        let Some((_, tok)) = self.toks.get(self.at).cloned() else {
            return Err(self.error(at, "a term is missing here"));
        };
        self.at += 1;
        match tok {
            Tok::Open => {
                if self.peek() == Some(&Tok::Close) {
                    return Err(self.error(at, "empty parentheses"));
                }
                let e = self.or_expr(field)?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(self.error(at, "this '(' is never closed"));
                }
                self.at += 1;
                Ok(e)
            }
            Tok::Word(w) => Ok(Expr::Text {
                field,
                words: vec![w],
                phrase: false,
                pos: at,
            }),
            Tok::Phrase(p) => {
                let words: Vec<String> = p.split_whitespace().map(str::to_string).collect();
                if words.is_empty() {
                    return Err(self.error(at, "empty quotation"));
                }
                Ok(Expr::Text {
                    field,
                    words,
                    phrase: true,
                    pos: at,
                })
            }
            Tok::FieldPrefix(name) => self.field_value(&name, at),
            Tok::Close => Err(self.error(at, "this ')' has no matching '('")),
            Tok::And | Tok::Or => Err(self.error(at, "AND and OR need a term on both sides")),
            Tok::Not | Tok::Minus => unreachable!("handled by unary"),
        }
    }

    fn field_value(&mut self, name: &str, at: usize) -> Result<Expr, QueryError> {
        let field = match name {
            "title" => Field::Title,
            "author" => Field::Author,
            "site" => Field::Site,
            "entity" => Field::Entity,
            "lang" | "published" => {
                let value_at = self.pos();
                let Some(Tok::Word(value)) = self.peek().cloned() else {
                    return Err(self.error(at, &format!("{name}: needs a value right after it")));
                };
                self.at += 1;
                return if name == "lang" {
                    parse_lang(&value).ok_or_else(|| {
                        self.error(
                            value_at,
                            "a language is a two-letter ISO 639-1 code, like fr or en",
                        )
                    })
                } else {
                    parse_published(&value).map_err(|m| self.error(value_at, &m))
                };
            }
            _ => unreachable!("the lexer only emits known fields"),
        };
        match self.peek() {
            Some(Tok::Word(_) | Tok::Phrase(_) | Tok::Open) => self.primary(field),
            _ => Err(self.error(at, &format!("{name}: needs a value right after it"))),
        }
    }
}

fn parse_lang(v: &str) -> Option<Expr> {
    let v = v.to_ascii_lowercase();
    (v.len() == 2 && v.chars().all(|c| c.is_ascii_lowercase())).then_some(Expr::Lang(v))
}

/// `2022-12-01..2022-12-31`, `2022-12`, `2022`, `>=2022-12-01`, `<2023`, `7d`, `..2022-12-31`.
fn parse_published(v: &str) -> Result<Expr, String> {
    let bad = || {
        format!(
            "'{v}' is not a date filter (try 2022-12-01..2022-12-31, 2022-12, >=2022-12-01 or 7d)"
        )
    };
    if let Some(r) = parse_relative(v) {
        return Ok(Expr::Published {
            from: DateBound::Ago(r),
            to: DateBound::Open,
        });
    }
    let bound = |s: &str, upper: bool| -> Result<DateBound, String> {
        if s.is_empty() {
            return Ok(DateBound::Open);
        }
        if let Some(r) = parse_relative(s) {
            return Ok(DateBound::Ago(r));
        }
        day_span(s)
            .map(|(a, b)| DateBound::Day(if upper { b } else { a }))
            .ok_or_else(bad)
    };
    if let Some((a, b)) = v.split_once("..") {
        let (from, to) = (bound(a, false)?, bound(b, true)?);
        if let (DateBound::Day(x), DateBound::Day(y)) = (from, to) {
            if x > y {
                return Err(format!("'{v}' ends before it starts"));
            }
        }
        return Ok(Expr::Published { from, to });
    }
    let (op, rest) = [">=", "<=", ">", "<"]
        .iter()
        .find_map(|op| v.strip_prefix(op).map(|r| (*op, r)))
        .unwrap_or(("=", v));
    let (first, last) = day_span(rest).ok_or_else(bad)?;
    let (from, to) = match op {
        ">=" => (DateBound::Day(first), DateBound::Open),
        ">" => (
            DateBound::Day(last.succ_opt().ok_or_else(bad)?),
            DateBound::Open,
        ),
        "<=" => (DateBound::Open, DateBound::Day(last)),
        "<" => (
            DateBound::Open,
            DateBound::Day(first.pred_opt().ok_or_else(bad)?),
        ),
        _ => (DateBound::Day(first), DateBound::Day(last)),
    };
    Ok(Expr::Published { from, to })
}

fn parse_relative(v: &str) -> Option<Relative> {
    let unit = v.chars().last()?;
    if !matches!(unit, 'h' | 'd' | 'w') {
        return None;
    }
    let amount: u32 = v[..v.len() - 1].parse().ok()?;
    Some(Relative { amount, unit })
}

/// The first and last day of `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn day_span(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str| -> Option<u32> {
        (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] if y.len() == 4 => {
            let y = num(y)? as i32;
            Some((
                NaiveDate::from_ymd_opt(y, 1, 1)?,
                NaiveDate::from_ymd_opt(y, 12, 31)?,
            ))
        }
        [y, m] if y.len() == 4 => {
            let (y, m) = (num(y)? as i32, num(m)?);
            let first = NaiveDate::from_ymd_opt(y, m, 1)?;
            let next = if m == 12 {
                NaiveDate::from_ymd_opt(y + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(y, m + 1, 1)?
            };
            Some((first, next.pred_opt()?))
        }
        [y, m, d] if y.len() == 4 => {
            let day = NaiveDate::from_ymd_opt(num(y)? as i32, num(m)?, num(d)?)?;
            Some((day, day))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str, pos: usize) -> Expr {
        Expr::Text {
            field: Field::Any,
            words: vec![w.into()],
            phrase: false,
            pos,
        }
    }

    fn day(s: &str) -> DateBound {
        DateBound::Day(s.parse().unwrap())
    }

    #[test]
    fn words_are_and_by_default() {
        assert_eq!(
            parse("poutine minsk").unwrap(),
            Expr::And(vec![word("poutine", 0), word("minsk", 8)])
        );
    }

    #[test]
    fn or_binds_looser_than_and() {
        let e = parse("a b OR c").unwrap();
        assert_eq!(
            e,
            Expr::Or(vec![
                Expr::And(vec![word("a", 0), word("b", 2)]),
                word("c", 7)
            ])
        );
    }

    #[test]
    fn negation_forms() {
        let e = parse("poutine -minsk NOT kiev").unwrap();
        assert_eq!(
            e,
            Expr::And(vec![
                word("poutine", 0),
                Expr::Not(Box::new(word("minsk", 9))),
                Expr::Not(Box::new(word("kiev", 19))),
            ])
        );
    }

    #[test]
    fn hyphenated_words_are_not_negations() {
        assert_eq!(parse("jean-pierre").unwrap(), word("jean-pierre", 0));
    }

    #[test]
    fn phrases_and_fields() {
        let e = parse(r#"title:"sommet de Minsk" author:Quénelle"#).unwrap();
        assert_eq!(
            e,
            Expr::And(vec![
                Expr::Text {
                    field: Field::Title,
                    words: vec!["sommet".into(), "de".into(), "Minsk".into()],
                    phrase: true,
                    pos: 6
                },
                Expr::Text {
                    field: Field::Author,
                    words: vec!["Quénelle".into()],
                    phrase: false,
                    pos: 31
                },
            ])
        );
    }

    #[test]
    fn field_applies_to_a_group() {
        let e = parse("title:(poutine OR putin)").unwrap();
        let Expr::Or(parts) = e else {
            panic!("expected OR")
        };
        assert!(parts.iter().all(|p| matches!(
            p,
            Expr::Text {
                field: Field::Title,
                ..
            }
        )));
    }

    #[test]
    fn date_filters() {
        assert_eq!(
            parse("published:2022-12-01..2022-12-31").unwrap(),
            Expr::Published {
                from: day("2022-12-01"),
                to: day("2022-12-31")
            }
        );
        assert_eq!(
            parse("published:2022-02").unwrap(),
            Expr::Published {
                from: day("2022-02-01"),
                to: day("2022-02-28")
            }
        );
        assert_eq!(
            parse("published:>=2022-12-19").unwrap(),
            Expr::Published {
                from: day("2022-12-19"),
                to: DateBound::Open
            }
        );
        assert_eq!(
            parse("published:<2023").unwrap(),
            Expr::Published {
                from: DateBound::Open,
                to: day("2022-12-31")
            }
        );
        assert_eq!(
            parse("published:7d").unwrap(),
            Expr::Published {
                from: DateBound::Ago(Relative {
                    amount: 7,
                    unit: 'd'
                }),
                to: DateBound::Open
            }
        );
    }

    #[test]
    fn lang_filter_is_lowercased() {
        assert_eq!(parse("lang:FR").unwrap(), Expr::Lang("fr".into()));
    }

    fn error_at(q: &str) -> (usize, String) {
        let e = parse(q).unwrap_err();
        (e.position, e.message)
    }

    #[test]
    fn malformed_queries_point_at_the_problem() {
        assert_eq!(error_at("").0, 0);
        assert_eq!(error_at("poutine OR").0, 8);
        assert_eq!(error_at("(poutine minsk").0, 0);
        assert_eq!(error_at("poutine minsk)").0, 13);
        assert_eq!(error_at(r#"poutine "sommet de"#).0, 8);
        assert_eq!(error_at("published:hier").0, 10);
        assert_eq!(error_at("published:2022-12-31..2022-12-01").0, 10);
        assert_eq!(error_at("lang:french").0, 5);
        let (pos, msg) = error_at("poutine foo:bar");
        assert_eq!(pos, 8);
        assert!(msg.contains("unknown field 'foo'"), "{msg}");
        assert_eq!(error_at("minsk title:").0, 6);
        assert_eq!(error_at("a AND AND b").0, 2);
        assert_eq!(error_at("()").0, 0);
    }

    #[test]
    fn error_display_shows_a_caret_under_the_position() {
        let shown = parse("poutine OR").unwrap_err().to_string();
        assert!(shown.ends_with("\n  poutine OR\n          ^"), "{shown}");
    }

    #[test]
    fn times_and_urls_are_words_not_fields() {
        assert_eq!(parse("12:30").unwrap(), word("12:30", 0));
    }
}
