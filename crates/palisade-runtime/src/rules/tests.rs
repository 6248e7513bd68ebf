//! Exception expansion as Falco does it.

use super::exceptions::{exception_expr, with_exceptions};
use super::model::{ExceptionDef, OneOrMany};
use crate::filter::{parse, Expr, Op, Rhs};
use serde_yaml::Value;

fn y(s: &str) -> Vec<Value> {
    serde_yaml::from_str(s).unwrap()
}

fn exc(fields: OneOrMany, comps: Option<OneOrMany>, values: &str) -> ExceptionDef {
    ExceptionDef {
        name: "e".into(),
        fields: Some(fields),
        comps,
        values: y(values),
    }
}

#[test]
fn tuple_exceptions_default_to_equality() {
    let e = exc(
        OneOrMany::Many(vec!["proc.name".into(), "fd.name".into()]),
        None,
        "[[bash, /etc/a], [sh, /etc/b]]",
    );
    let Some(Expr::Or(alts)) = exception_expr(&e).unwrap() else {
        panic!()
    };
    assert_eq!(alts.len(), 2);
    let Expr::And(parts) = &alts[1] else { panic!() };
    assert!(matches!(&parts[1], Expr::Cmp { op: Op::Eq, rhs: Rhs::Value(v), .. } if v == "/etc/b"));
}

#[test]
fn single_field_exceptions_are_one_in_list() {
    let e = exc(OneOrMany::One("proc.name".into()), None, "[bash, my_list]");
    let x = exception_expr(&e).unwrap().unwrap();
    assert!(
        matches!(x, Expr::Cmp { op: Op::In, rhs: Rhs::List(ref l), .. } if l == &["bash", "my_list"])
    );
}

#[test]
fn list_comps_take_list_values() {
    let e = exc(
        OneOrMany::Many(vec!["proc.name".into(), "proc.pname".into()]),
        Some(OneOrMany::Many(vec!["in".into(), "=".into()])),
        "[[[a, b], c]]",
    );
    let Some(Expr::Or(alts)) = exception_expr(&e).unwrap() else {
        panic!()
    };
    let Expr::And(parts) = &alts[0] else { panic!() };
    assert!(matches!(&parts[0], Expr::Cmp { op: Op::In, rhs: Rhs::List(l), .. } if l.len() == 2));
}

#[test]
fn mismatched_shapes_are_errors() {
    let bad_len = exc(
        OneOrMany::Many(vec!["a.b".into(), "c.d".into()]),
        Some(OneOrMany::Many(vec!["=".into()])),
        "[[x, y]]",
    );
    assert!(exception_expr(&bad_len)
        .unwrap_err()
        .contains("equal length"));
    let bad_tuple = exc(
        OneOrMany::Many(vec!["a.b".into(), "c.d".into()]),
        None,
        "[[x]]",
    );
    assert!(exception_expr(&bad_tuple).unwrap_err().contains("1 items"));
    let bad_op = exc(
        OneOrMany::One("a.b".into()),
        Some(OneOrMany::One("like".into())),
        "[x]",
    );
    assert!(exception_expr(&bad_op)
        .unwrap_err()
        .contains("not a comparison operator"));
}

#[test]
fn rule_condition_gets_and_not() {
    let cond = parse("proc.name = x").unwrap();
    let e = exc(OneOrMany::One("proc.pname".into()), None, "[y]");
    let Expr::And(v) = with_exceptions(cond.clone(), &[e]).unwrap() else {
        panic!()
    };
    assert_eq!(v[0], cond);
    assert!(matches!(v[1], Expr::Not(_)));
    let empty = exc(OneOrMany::One("proc.pname".into()), None, "[]");
    assert_eq!(with_exceptions(cond.clone(), &[empty]).unwrap(), cond);
}
