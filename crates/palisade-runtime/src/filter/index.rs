//! Which values of the source's index field (`ka.verb`, `evt.type`) a condition can hold
//! for: the engine files each rule under those values so an event is only tested against
//! rules that can match it.

use super::ast::{Expr, FieldExpr, Op, Rhs};
use std::collections::BTreeSet;

/// `None`: any value (the condition does not pin the field).
pub fn pinned(e: &Expr, field: &str) -> Option<BTreeSet<String>> {
    match e {
        Expr::Const(false) => Some(BTreeSet::new()),
        Expr::Cmp {
            lhs: FieldExpr::Field {
                name, arg: None, ..
            },
            op,
            rhs,
        } if name == field => match (op, rhs) {
            (Op::Eq, Rhs::Value(v)) => Some(BTreeSet::from([v.clone()])),
            (Op::In | Op::Intersects, Rhs::List(items)) => Some(items.iter().cloned().collect()),
            _ => None,
        },
        Expr::And(v) => v
            .iter()
            .filter_map(|e| pinned(e, field))
            .reduce(|a, b| &a & &b),
        Expr::Or(v) => {
            let mut acc = BTreeSet::new();
            for e in v {
                acc.extend(pinned(e, field)?);
            }
            Some(acc)
        }
        _ => None,
    }
}
