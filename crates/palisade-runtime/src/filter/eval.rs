//! Evaluation of a compiled condition on one event.

use super::ast::{Op, Transformer};
use super::compile::{Check, Node, Operand, Prepared, StrPattern};
use crate::fields::{EventSource, Extracted, Value};
use base64::Engine as _;
use std::borrow::Cow;

impl Node {
    pub fn eval<S: EventSource + ?Sized>(&self, src: &S, ev: &S::Event) -> bool {
        match self {
            Node::And(v) => v.iter().all(|n| n.eval(src, ev)),
            Node::Or(v) => v.iter().any(|n| n.eval(src, ev)),
            Node::Not(n) => !n.eval(src, ev),
            Node::Const(b) => *b,
            Node::Check(c) => c.eval(src, ev),
        }
    }
}

impl Operand {
    pub fn extract<'e, S: EventSource + ?Sized>(&self, src: &S, ev: &'e S::Event) -> Extracted<'e> {
        match self {
            Operand::Field(f) => src.extract(f, ev),
            Operand::Transform(t, inner) => transform(*t, inner.extract(src, ev)),
        }
    }
}

fn transform(t: Transformer, x: Extracted<'_>) -> Extracted<'_> {
    if let Transformer::Len = t {
        return match x {
            Extracted::Missing => Extracted::Missing,
            Extracted::One(v) => Extracted::One(Value::Int(v.render().chars().count() as i64)),
            Extracted::Many(v) => Extracted::One(Value::Int(v.len() as i64)),
        };
    }
    let map = |v: Value<'_>| -> Value<'static> {
        let s = v.render();
        Value::Str(Cow::Owned(match t {
            Transformer::ToLower => s.to_lowercase(),
            Transformer::ToUpper => s.to_uppercase(),
            Transformer::Basename => s.rsplit('/').next().unwrap_or_default().to_string(),
            Transformer::B64 => base64::engine::general_purpose::STANDARD
                .decode(s.as_bytes())
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default(),
            Transformer::Len => String::new(),
        }))
    };
    match x {
        Extracted::Missing => Extracted::Missing,
        Extracted::One(v) => Extracted::One(map(v)),
        Extracted::Many(v) => Extracted::Many(v.into_iter().map(map).collect()),
    }
}

impl Check {
    fn eval<S: EventSource + ?Sized>(&self, src: &S, ev: &S::Event) -> bool {
        if self.lhs_list && !super::compile::list_op_ok(self.op) {
            return false;
        }
        let x = self.lhs.extract(src, ev);
        if x.is_missing() {
            return false;
        }
        let vals = x.values();
        match (&self.rhs, self.op) {
            (Prepared::None, _) => true,
            (Prepared::StrSet(_) | Prepared::IntSet(_), Op::In) if self.lhs_list => {
                vals.iter().all(|v| in_set(&self.rhs, v))
            }
            (Prepared::StrSet(_) | Prepared::IntSet(_), _) => {
                vals.iter().any(|v| in_set(&self.rhs, v))
            }
            (Prepared::Nets(nets), op) => vals.iter().any(|v| {
                let r = v.render();
                let ip = r
                    .split('/')
                    .next()
                    .and_then(|a| a.trim().parse::<std::net::IpAddr>().ok());
                let hit = ip.is_some_and(|ip| nets.iter().any(|n| n.contains(ip)));
                if op == Op::Ne {
                    !hit
                } else {
                    hit
                }
            }),
            (Prepared::Paths(ps), _) => vals
                .iter()
                .any(|v| ps.iter().any(|p| pmatch(p, &v.render()))),
            (Prepared::Field(f), op) => {
                let r = f.extract(src, ev);
                let Some(rv) = r.values().first() else {
                    return false;
                };
                vals.iter().any(|v| cmp_values(op, v, rv))
            }
            (Prepared::Str(p), op) => vals.iter().any(|v| cmp_str(op, &v.render(), p)),
            (Prepared::Int(n), op) => vals.iter().any(|v| match v {
                Value::Int(i) => ord(op, i.cmp(n)),
                Value::Str(s) => s.parse::<i64>().is_ok_and(|i| ord(op, i.cmp(n))),
                Value::Bool(_) => false,
            }),
            (Prepared::Bool(b), op) => vals.iter().any(|v| match (v, op) {
                (Value::Bool(x), Op::Ne) => x != b,
                (Value::Bool(x), _) => x == b,
                (Value::Str(s), Op::Ne) => s.as_ref() != if *b { "true" } else { "false" },
                (Value::Str(s), _) => s.as_ref() == if *b { "true" } else { "false" },
                _ => false,
            }),
        }
    }
}

fn in_set(rhs: &Prepared, v: &Value<'_>) -> bool {
    match (rhs, v) {
        (Prepared::StrSet(s), Value::Str(x)) => s.contains(x.as_ref()),
        (Prepared::StrSet(s), other) => s.contains(other.render().as_ref()),
        (Prepared::IntSet(s), Value::Int(i)) => s.contains(i),
        (Prepared::IntSet(s), Value::Str(x)) => x.parse().is_ok_and(|i: i64| s.contains(&i)),
        _ => false,
    }
}

fn ord(op: Op, o: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        Op::Eq | Op::In | Op::Intersects => o == Equal,
        Op::Ne => o != Equal,
        Op::Lt => o == Less,
        Op::Le => o != Greater,
        Op::Gt => o == Greater,
        Op::Ge => o != Less,
        _ => false,
    }
}

/// `pmatch`: the path is the prefix itself or lies below it.
fn pmatch(prefix: &str, path: &str) -> bool {
    let p = prefix.trim_end_matches('/');
    path == p
        || path
            .strip_prefix(p)
            .is_some_and(|rest| rest.starts_with('/'))
        || p.is_empty()
}

fn cmp_str(op: Op, s: &str, p: &StrPattern) -> bool {
    match op {
        Op::Eq | Op::In | Op::Intersects => s == p.raw,
        Op::Ne => s != p.raw,
        Op::Lt | Op::Le | Op::Gt | Op::Ge => ord(op, s.cmp(p.raw.as_str())),
        Op::Contains => s.contains(p.raw.as_str()),
        Op::IContains => s.to_lowercase().contains(p.lower.as_str()),
        Op::StartsWith => s.starts_with(p.raw.as_str()),
        Op::EndsWith => s.ends_with(p.raw.as_str()),
        Op::BContains => {
            !p.bytes.is_empty() && s.as_bytes().windows(p.bytes.len()).any(|w| w == p.bytes)
        }
        Op::BStartsWith => s.as_bytes().starts_with(&p.bytes),
        Op::Glob => p.glob.as_ref().is_some_and(|g| g.matches(s)),
        Op::IGlob => p
            .glob
            .as_ref()
            .is_some_and(|g| g.matches(&s.to_lowercase())),
        Op::Regex => p.regex.as_ref().is_some_and(|r| r.is_match(s)),
        Op::PMatch => pmatch(&p.raw, s),
        Op::Exists => true,
    }
}

fn cmp_values(op: Op, a: &Value<'_>, b: &Value<'_>) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => ord(op, x.cmp(y)),
        _ => {
            let (a, b) = (a.render(), b.render());
            match op {
                Op::Contains => a.contains(b.as_ref()),
                Op::IContains => a.to_lowercase().contains(&b.to_lowercase()),
                Op::StartsWith | Op::BStartsWith => a.starts_with(b.as_ref()),
                Op::EndsWith => a.ends_with(b.as_ref()),
                Op::BContains => a.contains(b.as_ref()),
                _ => ord(op, a.as_ref().cmp(b.as_ref())),
            }
        }
    }
}
