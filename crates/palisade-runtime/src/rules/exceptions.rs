//! Rule exceptions, expanded as Falco expands them: the rule's condition becomes
//! `(condition) and not (exception1 or exception2 …)`, where a tuple exception with fields
//! `[f1, f2]`, comps `[c1, c2]` and values `[[a, b], …]` is `(f1 c1 a and f2 c2 b) or …`,
//! and a single-field exception with comp `in` is `f in (v1, v2 …)`.

use super::model::{ExceptionDef, OneOrMany};
use super::yaml::scalar;
use crate::filter::{parse, Expr, FieldExpr, Op, Rhs};
use serde_yaml::Value;

fn field_expr(text: &str) -> Result<FieldExpr, String> {
    // Parsing `<field> exists` reuses the condition grammar for `name[arg]` and transformers.
    match parse(&format!("{text} exists")) {
        Ok(Expr::Cmp { lhs, .. }) => Ok(lhs),
        _ => Err(format!("'{text}' is not a field")),
    }
}

fn op(s: &str) -> Result<Op, String> {
    Op::parse(s).ok_or_else(|| format!("'{s}' is not a comparison operator"))
}

fn rhs(op: Op, v: &Value) -> Result<Rhs, String> {
    if op.takes_list() {
        return Ok(Rhs::List(match v {
            Value::Sequence(items) => items
                .iter()
                .map(|i| scalar(i).ok_or("list values must be scalars".to_string()))
                .collect::<Result<_, _>>()?,
            other => vec![scalar(other).ok_or("value must be a scalar or a list")?],
        }));
    }
    scalar(v)
        .map(Rhs::Value)
        .ok_or_else(|| format!("operator '{}' needs a single value", op.as_str()))
}

/// The expression that excludes an event, or `None` when the exception has no values.
pub fn exception_expr(e: &ExceptionDef) -> Result<Option<Expr>, String> {
    if e.values.is_empty() {
        return Ok(None);
    }
    let ctx = |m: String| format!("exception '{}': {m}", e.name);
    match &e.fields {
        None => Err(ctx("Item has no mapping for key 'fields'".into())),
        Some(OneOrMany::One(field)) => {
            let comp = match &e.comps {
                None => Op::In,
                Some(OneOrMany::One(c)) => op(c).map_err(ctx)?,
                Some(OneOrMany::Many(_)) => {
                    return Err(ctx(
                        "'fields' is a single field but 'comps' is a list".into()
                    ))
                }
            };
            let lhs = field_expr(field).map_err(ctx)?;
            if comp.takes_list() {
                let items = e
                    .values
                    .iter()
                    .map(|v| scalar(v).ok_or_else(|| ctx("values must be scalars".into())))
                    .collect::<Result<Vec<_>, _>>()?;
                return Ok(Some(Expr::Cmp {
                    lhs,
                    op: comp,
                    rhs: Rhs::List(items),
                }));
            }
            let alts = e
                .values
                .iter()
                .map(|v| {
                    Ok(Expr::Cmp {
                        lhs: lhs.clone(),
                        op: comp,
                        rhs: rhs(comp, v).map_err(ctx)?,
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            Ok(Some(Expr::Or(alts)))
        }
        Some(OneOrMany::Many(fields)) => {
            let comps: Vec<Op> = match &e.comps {
                None => vec![Op::Eq; fields.len()],
                Some(OneOrMany::Many(c)) => c
                    .iter()
                    .map(|c| op(c))
                    .collect::<Result<_, _>>()
                    .map_err(ctx)?,
                Some(OneOrMany::One(_)) => {
                    return Err(ctx("'fields' is a list but 'comps' is not".into()))
                }
            };
            if comps.len() != fields.len() {
                return Err(ctx(format!(
                    "fields and comps lists must have equal length ({} fields, {} comps)",
                    fields.len(),
                    comps.len()
                )));
            }
            let lhs = fields
                .iter()
                .map(|f| field_expr(f))
                .collect::<Result<Vec<_>, _>>()
                .map_err(ctx)?;
            let mut alts = Vec::new();
            for v in &e.values {
                let Value::Sequence(tuple) = v else {
                    return Err(ctx("each value must be a list matching 'fields'".into()));
                };
                if tuple.len() != fields.len() {
                    return Err(ctx(format!(
                        "value has {} items but there are {} fields",
                        tuple.len(),
                        fields.len()
                    )));
                }
                let conj = lhs
                    .iter()
                    .zip(&comps)
                    .zip(tuple)
                    .map(|((l, c), v)| {
                        Ok(Expr::Cmp {
                            lhs: l.clone(),
                            op: *c,
                            rhs: rhs(*c, v).map_err(ctx)?,
                        })
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                alts.push(Expr::And(conj));
            }
            Ok(Some(Expr::Or(alts)))
        }
    }
}

/// `(cond) and not (e1 or e2 …)`.
pub fn with_exceptions(cond: Expr, excs: &[ExceptionDef]) -> Result<Expr, String> {
    let mut alts = Vec::new();
    for e in excs {
        if let Some(x) = exception_expr(e)? {
            alts.push(x);
        }
    }
    if alts.is_empty() {
        return Ok(cond);
    }
    Ok(Expr::And(vec![cond, Expr::Not(Box::new(Expr::Or(alts)))]))
}
