//! From an expanded syntax tree to an evaluator: fields bound to a source, Falco's type
//! rules checked, right-hand sides prepared once (lowercased, parsed numbers, compiled
//! regexes and globs, hash sets for `in`).

use super::ast::{Expr, FieldExpr, Op, Rhs, Transformer};
use crate::fields::{BoundField, FieldCatalog, FieldType};
// FxHash: `in` sets are probed several times per event on a sensor's hot path, and their
// keys come from the rules, not from events, so no event can force collisions.
use rustc_hash::FxHashSet as HashSet;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    #[error("{0}")]
    UnknownField(String),
    #[error("{0}")]
    BadArgument(String),
    #[error("operator '{op}' is not supported on {what}")]
    BadOperator { op: &'static str, what: String },
    #[error("'{value}' is not a valid {ty} value for field {field}")]
    BadValue {
        value: String,
        ty: &'static str,
        field: String,
    },
    #[error("invalid regex '{0}': {1}")]
    BadRegex(String, String),
    #[error("invalid glob pattern '{0}': {1}")]
    BadGlob(String, String),
    #[error("transformer '{t}' cannot be applied to {what}")]
    BadTransformer { t: &'static str, what: String },
}

/// A compiled condition node.
#[derive(Debug)]
pub enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Const(bool),
    Check(Box<Check>),
}

#[derive(Debug)]
pub struct Check {
    pub lhs: Operand,
    pub op: Op,
    pub rhs: Prepared,
    /// List semantics: `in` is a subset test and `intersects` an overlap test.
    pub lhs_list: bool,
}

#[derive(Debug)]
pub enum Operand {
    Field(BoundField),
    Transform(Transformer, Box<Operand>),
}

/// A right-hand side ready for comparison.
#[derive(Debug)]
pub enum Prepared {
    None,
    Str(StrPattern),
    Int(i64),
    Bool(bool),
    StrSet(HashSet<String>),
    IntSet(HashSet<i64>),
    /// `pmatch` prefixes.
    Paths(Vec<String>),
    /// Addresses and networks for `ipaddr`/`ipnet` fields: membership is containment.
    Nets(Vec<Net>),
    Field(Operand),
}

#[derive(Debug)]
pub struct StrPattern {
    pub raw: String,
    /// For icontains/iglob.
    pub lower: String,
    pub regex: Option<regex::Regex>,
    pub glob: Option<glob::Pattern>,
    /// For bcontains/bstartswith: the hex pattern decoded.
    pub bytes: Vec<u8>,
}

impl Operand {
    /// Type after transformers, and whether the result is a list.
    pub fn ty(&self) -> (FieldType, bool) {
        match self {
            Operand::Field(f) => (f.ty, f.is_list),
            Operand::Transform(Transformer::Len, _) => (FieldType::Int, false),
            Operand::Transform(_, inner) => inner.ty(),
        }
    }

    pub fn field(&self) -> &BoundField {
        match self {
            Operand::Field(f) => f,
            Operand::Transform(_, inner) => inner.field(),
        }
    }
}

/// Every field an expanded condition names (rhs `val()` fields included).
pub fn fields_of(e: &Expr) -> Vec<(String, Option<String>, String)> {
    let mut out = Vec::new();
    e.walk(&mut |n| {
        if let Expr::Cmp { lhs, rhs, .. } = n {
            let (name, arg, _) = lhs.field();
            out.push((name.to_string(), arg.map(str::to_string), lhs.text()));
            if let Rhs::Field(f) = rhs {
                let (name, arg, _) = f.field();
                out.push((name.to_string(), arg.map(str::to_string), f.text()));
            }
        }
    });
    out
}

pub fn compile(e: &Expr, cat: &dyn FieldCatalog) -> Result<Node, CompileError> {
    Ok(match e {
        Expr::And(v) => Node::And(
            v.iter()
                .map(|e| compile(e, cat))
                .collect::<Result<_, _>>()?,
        ),
        Expr::Or(v) => Node::Or(
            v.iter()
                .map(|e| compile(e, cat))
                .collect::<Result<_, _>>()?,
        ),
        Expr::Not(inner) => Node::Not(Box::new(compile(inner, cat)?)),
        Expr::Const(b) => Node::Const(*b),
        // Expansion removes macros; one left over means the caller skipped it.
        Expr::Macro { name, .. } => {
            return Err(CompileError::UnknownField(format!(
                "Undefined macro '{name}' used in filter."
            )))
        }
        Expr::Cmp { lhs, op, rhs } => Node::Check(Box::new(check(lhs, *op, rhs, cat)?)),
    })
}

fn operand(f: &FieldExpr, cat: &dyn FieldCatalog) -> Result<Operand, CompileError> {
    match f {
        FieldExpr::Field { name, arg, .. } => {
            let bound = cat.bind(name, arg.as_deref(), &f.text()).map_err(|m| {
                if cat.field(name).is_none() {
                    CompileError::UnknownField(m)
                } else {
                    CompileError::BadArgument(m)
                }
            })?;
            Ok(Operand::Field(bound))
        }
        FieldExpr::Transform(t, inner) => {
            let inner = operand(inner, cat)?;
            let (ty, _) = inner.ty();
            let ok = match t {
                Transformer::Len => {
                    matches!(ty, FieldType::String | FieldType::Bytes) || inner.ty().1
                }
                _ => matches!(ty, FieldType::String | FieldType::Bytes),
            };
            if !ok {
                return Err(CompileError::BadTransformer {
                    t: t.as_str(),
                    what: format!("a {} field", ty.name()),
                });
            }
            Ok(Operand::Transform(*t, Box::new(inner)))
        }
    }
}

fn op_allowed(op: Op, ty: FieldType, is_list: bool) -> bool {
    use Op::*;
    if op == Exists {
        return true;
    }
    // Falco loads any operator on a list field but evaluates only `in`, `intersects` and
    // `exists` (the others throw at run time and never match); see `list_only_ops`.
    let _ = is_list;
    match ty {
        FieldType::String => true,
        FieldType::Bytes => matches!(
            op,
            Eq | Ne | Contains | BContains | BStartsWith | StartsWith | In
        ),
        FieldType::Int => matches!(op, Eq | Ne | Lt | Le | Gt | Ge | In | Intersects),
        FieldType::Bool => matches!(op, Eq | Ne | In | Intersects),
        FieldType::Ip | FieldType::IpNet => matches!(op, Eq | Ne | In | Intersects),
    }
}

fn check(
    lhs: &FieldExpr,
    op: Op,
    rhs: &Rhs,
    cat: &dyn FieldCatalog,
) -> Result<Check, CompileError> {
    let lhs = operand(lhs, cat)?;
    let (ty, is_list) = lhs.ty();
    if !op_allowed(op, ty, is_list) {
        let what = if is_list {
            format!("list field {}", lhs.field().text)
        } else {
            format!("{} field {}", ty.name(), lhs.field().text)
        };
        return Err(CompileError::BadOperator {
            op: op.as_str(),
            what,
        });
    }
    let field = lhs.field().text.clone();
    let ip_items: Option<Vec<&String>> = match (ty, rhs) {
        (FieldType::Ip | FieldType::IpNet, Rhs::Value(v)) => Some(vec![v]),
        (FieldType::Ip | FieldType::IpNet, Rhs::List(items)) => Some(items.iter().collect()),
        _ => None,
    };
    if let Some(items) = ip_items {
        let nets = items
            .into_iter()
            .map(|v| Net::parse(v).ok_or_else(|| bad(v, ty, &lhs.field().text)))
            .collect::<Result<_, _>>()?;
        return Ok(Check {
            lhs,
            op,
            rhs: Prepared::Nets(nets),
            lhs_list: is_list,
        });
    }
    let rhs = match rhs {
        Rhs::None => Prepared::None,
        Rhs::Field(f) => {
            let r = operand(f, cat)?;
            if r.ty().0 != ty && !(is_stringy(r.ty().0) && is_stringy(ty)) {
                return Err(CompileError::BadOperator {
                    op: op.as_str(),
                    what: format!(
                        "fields of different types ({} and {})",
                        ty.name(),
                        r.ty().0.name()
                    ),
                });
            }
            Prepared::Field(r)
        }
        Rhs::Value(v) => prepare_scalar(v, op, ty, &field)?,
        Rhs::List(items) => match (op, ty) {
            (Op::PMatch, _) => Prepared::Paths(items.clone()),
            (_, FieldType::Int) => Prepared::IntSet(
                items
                    .iter()
                    .map(|v| parse_int(v).ok_or_else(|| bad(v, ty, &field)))
                    .collect::<Result<_, _>>()?,
            ),
            (_, FieldType::Bool) => {
                for v in items {
                    parse_bool(v).ok_or_else(|| bad(v, ty, &field))?;
                }
                Prepared::StrSet(items.iter().cloned().collect())
            }
            _ => Prepared::StrSet(items.iter().cloned().collect()),
        },
    };
    Ok(Check {
        lhs,
        op,
        rhs,
        lhs_list: is_list,
    })
}

fn is_stringy(t: FieldType) -> bool {
    matches!(
        t,
        FieldType::String | FieldType::Bytes | FieldType::Ip | FieldType::IpNet
    )
}

fn bad(v: &str, ty: FieldType, field: &str) -> CompileError {
    CompileError::BadValue {
        value: v.to_string(),
        ty: ty.name(),
        field: field.to_string(),
    }
}

pub fn parse_int(v: &str) -> Option<i64> {
    let v = v.trim();
    if let Some(h) = v.strip_prefix("0x") {
        return i64::from_str_radix(h, 16).ok();
    }
    v.parse::<i64>()
        .ok()
        .or_else(|| v.parse::<u64>().ok().map(|u| u as i64))
}

pub fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn prepare_scalar(v: &str, op: Op, ty: FieldType, field: &str) -> Result<Prepared, CompileError> {
    match ty {
        FieldType::Int => {
            return parse_int(v)
                .map(Prepared::Int)
                .ok_or_else(|| bad(v, ty, field))
        }
        FieldType::Bool => {
            return parse_bool(v)
                .map(Prepared::Bool)
                .ok_or_else(|| bad(v, ty, field))
        }
        _ => {}
    }
    let regex = if op == Op::Regex {
        Some(
            regex::Regex::new(&format!("^(?:{v})$"))
                .map_err(|e| CompileError::BadRegex(v.to_string(), e.to_string()))?,
        )
    } else {
        None
    };
    let glob = if matches!(op, Op::Glob | Op::IGlob) {
        let src = if op == Op::IGlob {
            v.to_lowercase()
        } else {
            v.to_string()
        };
        Some(
            glob::Pattern::new(&src)
                .map_err(|e| CompileError::BadGlob(v.to_string(), e.to_string()))?,
        )
    } else {
        None
    };
    let bytes = if matches!(op, Op::BContains | Op::BStartsWith) {
        decode_hex(v).ok_or_else(|| CompileError::BadValue {
            value: v.to_string(),
            ty: "hex bytes",
            field: field.to_string(),
        })?
    } else {
        Vec::new()
    };
    Ok(Prepared::Str(StrPattern {
        raw: v.to_string(),
        lower: v.to_lowercase(),
        regex,
        glob,
        bytes,
    }))
}

fn decode_hex(v: &str) -> Option<Vec<u8>> {
    let v: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    if !v.len().is_multiple_of(2) {
        return None;
    }
    (0..v.len())
        .step_by(2)
        .map(|i| v.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}

/// An address with a prefix length (`10.0.0.0/8`; a bare address is a full-length prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Net {
    pub addr: std::net::IpAddr,
    pub prefix: u8,
}

impl Net {
    pub fn parse(s: &str) -> Option<Net> {
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
            None => (s, None),
        };
        let addr: std::net::IpAddr = a.trim().parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = p.unwrap_or(max);
        (prefix <= max).then_some(Net { addr, prefix })
    }

    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        use std::net::IpAddr::*;
        match (self.addr, ip) {
            (V4(n), V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (V6(n), V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// Whether `op` is one Falco evaluates on list fields; other checks on a list field load
/// but never hold (libsinsp throws for them when the event is evaluated).
pub fn list_op_ok(op: Op) -> bool {
    matches!(op, Op::In | Op::Intersects | Op::Exists)
}
