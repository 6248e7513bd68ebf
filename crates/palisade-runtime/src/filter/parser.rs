//! A recursive-descent parser for Falco's condition grammar:
//!
//! ```text
//! expr   := and ("or" and)*
//! and    := unary ("and" unary)*
//! unary  := "not" unary | "(" expr ")" | check
//! check  := identifier                                  (a macro)
//!         | fexpr "exists"
//!         | fexpr listop "(" [value ("," value)*] ")"   (in, intersects, pmatch)
//!         | fexpr binop (value | fexpr)
//! fexpr  := field | transformer "(" fexpr ")"
//! field  := name ("." name)* ["[" arg "]"]
//! value  := "quoted" | 'quoted' | bare | "val(" fexpr ")"
//! ```

use super::ast::{Expr, FieldExpr, Op, Rhs, Transformer};
use std::fmt;

/// Nesting deeper than this is refused: a hostile condition must not exhaust the stack.
pub const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset in the condition.
    pub pos: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at offset {}", self.message, self.pos)
    }
}

impl std::error::Error for ParseError {}

pub fn parse(src: &str) -> Result<Expr, ParseError> {
    let mut p = Parser {
        src,
        pos: 0,
        depth: 0,
    };
    p.ws();
    if p.at_end() {
        return Err(p.err("empty condition"));
    }
    let e = p.or()?;
    p.ws();
    if !p.at_end() {
        let tail: String = p.rest().chars().take(30).collect();
        return Err(p.err(format!("unexpected token '{tail}'")));
    }
    Ok(e)
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

fn is_bare_char(c: char) -> bool {
    !(c.is_whitespace() || matches!(c, '(' | ')' | ',' | '"' | '\'' | '='))
}

impl<'a> Parser<'a> {
    fn err(&self, msg: impl Into<String>) -> ParseError {
        ParseError {
            pos: self.pos,
            message: msg.into(),
        }
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn ws(&mut self) {
        let r = self.rest();
        self.pos += r.len() - r.trim_start().len();
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// A keyword followed by something that cannot continue a word.
    fn keyword(&mut self, kw: &str) -> bool {
        let r = self.rest();
        if let Some(after) = r.strip_prefix(kw) {
            if after.chars().next().is_none_or(|c| !is_ident_char(c)) {
                self.pos += kw.len();
                return true;
            }
        }
        false
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(format!("condition nested deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        self.enter()?;
        let mut items = vec![self.and()?];
        loop {
            self.ws();
            if self.keyword("or") {
                self.ws();
                items.push(self.and()?);
            } else {
                break;
            }
        }
        self.depth -= 1;
        Ok(if items.len() == 1 {
            items.swap_remove(0)
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut items = vec![self.unary()?];
        loop {
            self.ws();
            if self.keyword("and") {
                self.ws();
                items.push(self.unary()?);
            } else {
                break;
            }
        }
        Ok(if items.len() == 1 {
            items.swap_remove(0)
        } else {
            Expr::And(items)
        })
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        self.enter()?;
        self.ws();
        let e = if self.keyword("not") {
            self.ws();
            Expr::Not(Box::new(self.unary()?))
        } else if self.eat("(") {
            let e = self.or()?;
            self.ws();
            if !self.eat(")") {
                return Err(self.err("expected ')'"));
            }
            e
        } else {
            self.check()?
        };
        self.depth -= 1;
        Ok(e)
    }

    fn name(&mut self) -> Option<&'a str> {
        let r = self.rest();
        if !r.chars().next().is_some_and(is_ident_start) {
            return None;
        }
        let len = r.find(|c: char| !is_ident_char(c)).unwrap_or(r.len());
        self.pos += len;
        Some(&r[..len])
    }

    fn check(&mut self) -> Result<Expr, ParseError> {
        let start = self.pos;
        let Some(name) = self.name() else {
            return Err(self.err("expected a field, macro, 'not' or '('"));
        };
        if matches!(name, "and" | "or") {
            self.pos = start;
            return Err(self.err(format!("unexpected '{name}'")));
        }
        // A dotless name not followed by '(' or '[' is a macro, unless an operator follows
        // (a few plugin fields have no dot).
        if !name.contains('.') && !self.rest().starts_with(['(', '[']) {
            let save = self.pos;
            self.ws();
            let is_cmp = self.peek_op().is_some();
            self.pos = save;
            if !is_cmp {
                return Ok(Expr::Macro {
                    name: name.to_string(),
                    pos: start,
                });
            }
        }
        self.pos = start;
        let lhs = self.field_expr()?;
        self.ws();
        let Some(op) = self.op() else {
            return Err(self.err(format!("expected an operator after '{}'", lhs.text())));
        };
        self.ws();
        let rhs = if op == Op::Exists {
            Rhs::None
        } else if op.takes_list() {
            if self.peek() == Some('(') {
                Rhs::List(self.list()?)
            } else {
                return Err(self.err(format!("'{}' needs a list: (a, b)", op.as_str())));
            }
        } else {
            self.rhs_value()?
        };
        Ok(Expr::Cmp { lhs, op, rhs })
    }

    fn field_expr(&mut self) -> Result<FieldExpr, ParseError> {
        self.enter()?;
        let pos = self.pos;
        let Some(name) = self.name() else {
            return Err(self.err("expected a field name"));
        };
        let e = if self.peek() == Some('(') {
            let Some(t) = Transformer::parse(name) else {
                return Err(ParseError {
                    pos,
                    message: format!("unknown transformer '{name}'"),
                });
            };
            self.pos += 1;
            self.ws();
            let inner = self.field_expr()?;
            self.ws();
            if !self.eat(")") {
                return Err(self.err("expected ')' after transformer argument"));
            }
            FieldExpr::Transform(t, Box::new(inner))
        } else {
            let arg = if self.eat("[") {
                let r = self.rest();
                let Some(end) = r.find(']') else {
                    return Err(self.err("unterminated field argument, expected ']'"));
                };
                self.pos += end + 1;
                Some(r[..end].to_string())
            } else {
                None
            };
            FieldExpr::Field {
                name: name.to_string(),
                arg,
                pos,
            }
        };
        self.depth -= 1;
        Ok(e)
    }

    fn peek_op(&self) -> Option<(Op, usize)> {
        let r = self.rest();
        for (s, op) in [
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("!=", Op::Ne),
            ("==", Op::Eq),
            ("=", Op::Eq),
            ("<", Op::Lt),
            (">", Op::Gt),
        ] {
            if r.starts_with(s) {
                return Some((op, s.len()));
            }
        }
        for (w, op) in Op::WORDS {
            if r.starts_with(w)
                && r[w.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !is_ident_char(c))
            {
                return Some((op, w.len()));
            }
        }
        None
    }

    fn op(&mut self) -> Option<Op> {
        let (op, len) = self.peek_op()?;
        self.pos += len;
        Some(op)
    }

    fn rhs_value(&mut self) -> Result<Rhs, ParseError> {
        if self.rest().starts_with("val(") {
            self.pos += 4;
            self.ws();
            let f = self.field_expr()?;
            self.ws();
            if !self.eat(")") {
                return Err(self.err("expected ')' after val( field"));
            }
            return Ok(Rhs::Field(f));
        }
        // A transformer on the right-hand side compares two fields as well.
        let r = self.rest();
        if let Some(paren) = r.find('(') {
            if Transformer::parse(&r[..paren]).is_some() {
                return Ok(Rhs::Field(self.field_expr()?));
            }
        }
        Ok(Rhs::Value(self.value()?))
    }

    fn value(&mut self) -> Result<String, ParseError> {
        match self.peek() {
            Some(q @ ('"' | '\'')) => self.quoted(q),
            Some(c) if is_bare_char(c) => {
                let r = self.rest();
                let len = r.find(|c: char| !is_bare_char(c)).unwrap_or(r.len());
                self.pos += len;
                Ok(r[..len].to_string())
            }
            _ => Err(self.err("expected a value")),
        }
    }

    fn quoted(&mut self, q: char) -> Result<String, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            if c == q {
                self.pos += i + 1;
                return Ok(out);
            }
            if c == '\\' {
                match chars.next() {
                    Some((_, e @ ('"' | '\'' | '\\'))) => out.push(e),
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, 'r')) => out.push('\r'),
                    // Unknown escapes stay as written so regexes keep their meaning.
                    Some((_, e)) => {
                        out.push('\\');
                        out.push(e);
                    }
                    None => break,
                }
            } else {
                out.push(c);
            }
        }
        self.pos = start;
        Err(self.err("unterminated quoted string"))
    }

    fn list(&mut self) -> Result<Vec<String>, ParseError> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.ws();
            if self.eat(")") {
                return Ok(items);
            }
            if !items.is_empty() {
                if !self.eat(",") {
                    return Err(self.err("expected ',' or ')' in list"));
                }
                self.ws();
                // Falco tolerates a trailing comma.
                if self.eat(")") {
                    return Ok(items);
                }
            }
            if self.at_end() {
                return Err(self.err("unterminated list, expected ')'"));
            }
            items.push(self.value()?);
        }
    }
}
