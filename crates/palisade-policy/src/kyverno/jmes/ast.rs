//! The fork's node kinds, built from the `jmespath` crate's parse tree.
//!
//! The two parsers build slightly different trees for the same text, and the fork's semantics
//! hang on the node kind, so the crate's tree is rewritten:
//! - `a | b`: the crate makes a `Subexpr` (like `a.b`), the fork an `ASTPipe` that swallows
//!   NotFound; told apart by the byte at the node's offset.
//! - `a[?c].b`: crate `Projection{a, Condition{c, b}}`, fork `ASTFilterProjection(a, b, c)`.
//! - `a.*.b` / `*.b`: crate `Projection{ObjectValues{a}, b}`, fork `ASTValueProjection(a, b)`.
//! - `a[1:2].b`: crate `Subexpr{a, Projection{Slice, b}}`, fork
//!   `ASTProjection(ASTIndexExpression(a, Slice), b)`, which swallows a NotFound from `a`.
//!
//! Known residual difference: after `.*` the fork parses the right side with the binding power of
//! `.` and the crate with that of `*`, so `a.*.b[?c]` groups the filter differently. No policy
//! idiom writes that.

use jmespath::ast::{Ast, Comparator};
use serde_json::Value;

use super::limits::{check_expression, truncate, MAX_AST_DEPTH};
use super::JmesError;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Cmp {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

#[derive(Debug)]
pub(super) enum Node {
    Identity,
    Field(String),
    Index(i64),
    Literal(Value),
    /// `ASTSubexpression` and `ASTIndexExpression`: the left side's errors propagate.
    Subexpr(Box<Node>, Box<Node>),
    Pipe(Box<Node>, Box<Node>),
    Projection(Box<Node>, Box<Node>),
    FilterProjection {
        lhs: Box<Node>,
        rhs: Box<Node>,
        cond: Box<Node>,
    },
    ValueProjection(Box<Node>, Box<Node>),
    Flatten(Box<Node>),
    Slice {
        start: Option<i64>,
        stop: Option<i64>,
        step: i64,
    },
    Comparator(Cmp, Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
    MultiList(Vec<Node>),
    MultiHash(Vec<(String, Node)>),
    Function(String, Vec<Node>),
    ExpRef(Box<Node>),
}

/// Parses `expr` into the fork's tree, after the size checks.
pub(super) fn parse(expr: &str) -> Result<Node, JmesError> {
    check_expression(expr)?;
    let ast = jmespath::parse(expr).map_err(|e| JmesError::Parse {
        expr: truncate(expr),
        message: e.to_string(),
    })?;
    // Checked on the crate's tree, with a small frame, before `convert` (whose unoptimized
    // frames are large) recurses.
    if depth(&ast) > MAX_AST_DEPTH {
        return Err(JmesError::Parse {
            expr: truncate(expr),
            message: format!("nested deeper than {MAX_AST_DEPTH} levels"),
        });
    }
    convert(expr, ast)
}

/// Depth of the crate's tree (recursion bounded by the structure-token cap checked before
/// parsing).
fn depth(n: &Ast) -> usize {
    1 + match n {
        Ast::Identity { .. }
        | Ast::Field { .. }
        | Ast::Index { .. }
        | Ast::Literal { .. }
        | Ast::Slice { .. } => 0,
        Ast::Subexpr { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::Comparison { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. } => depth(lhs).max(depth(rhs)),
        Ast::Condition {
            predicate, then, ..
        } => depth(predicate).max(depth(then)),
        Ast::Flatten { node, .. } | Ast::Not { node, .. } | Ast::ObjectValues { node, .. } => {
            depth(node)
        }
        Ast::Expref { ast, .. } => depth(ast),
        Ast::MultiList { elements, .. } | Ast::Function { args: elements, .. } => {
            elements.iter().map(depth).max().unwrap_or(0)
        }
        Ast::MultiHash { elements, .. } => elements
            .iter()
            .map(|kv| depth(&kv.value))
            .max()
            .unwrap_or(0),
    }
}

fn boxed(expr: &str, ast: Ast) -> Result<Box<Node>, JmesError> {
    Ok(Box::new(convert(expr, ast)?))
}

fn convert(expr: &str, ast: Ast) -> Result<Node, JmesError> {
    Ok(match ast {
        Ast::Identity { .. } => Node::Identity,
        Ast::Field { name, .. } => Node::Field(name),
        Ast::Index { idx, .. } => Node::Index(i64::from(idx)),
        Ast::Literal { value, .. } => {
            Node::Literal(serde_json::to_value(&*value).map_err(|e| JmesError::Parse {
                expr: truncate(expr),
                message: e.to_string(),
            })?)
        }
        Ast::Subexpr { offset, lhs, rhs } => {
            if expr.as_bytes().get(offset) == Some(&b'|') {
                return Ok(Node::Pipe(boxed(expr, *lhs)?, boxed(expr, *rhs)?));
            }
            match *rhs {
                Ast::Projection {
                    lhs: slice,
                    rhs: prhs,
                    ..
                } if matches!(*slice, Ast::Slice { .. }) => {
                    let indexed = Node::Subexpr(boxed(expr, *lhs)?, boxed(expr, *slice)?);
                    Node::Projection(Box::new(indexed), boxed(expr, *prhs)?)
                }
                rhs => Node::Subexpr(boxed(expr, *lhs)?, boxed(expr, rhs)?),
            }
        }
        Ast::Projection { lhs, rhs, .. } => match (*lhs, *rhs) {
            (
                lhs,
                Ast::Condition {
                    predicate, then, ..
                },
            ) => Node::FilterProjection {
                lhs: boxed(expr, lhs)?,
                rhs: boxed(expr, *then)?,
                cond: boxed(expr, *predicate)?,
            },
            (Ast::ObjectValues { node, .. }, rhs) => {
                Node::ValueProjection(boxed(expr, *node)?, boxed(expr, rhs)?)
            }
            (lhs, rhs) => Node::Projection(boxed(expr, lhs)?, boxed(expr, rhs)?),
        },
        Ast::Flatten { node, .. } => Node::Flatten(boxed(expr, *node)?),
        Ast::Slice {
            start, stop, step, ..
        } => Node::Slice {
            start: start.map(i64::from),
            stop: stop.map(i64::from),
            step: i64::from(step),
        },
        Ast::Comparison {
            comparator,
            lhs,
            rhs,
            ..
        } => {
            let cmp = match comparator {
                Comparator::Equal => Cmp::Eq,
                Comparator::NotEqual => Cmp::Ne,
                Comparator::LessThan => Cmp::Lt,
                Comparator::LessThanEqual => Cmp::Lte,
                Comparator::GreaterThan => Cmp::Gt,
                Comparator::GreaterThanEqual => Cmp::Gte,
            };
            Node::Comparator(cmp, boxed(expr, *lhs)?, boxed(expr, *rhs)?)
        }
        Ast::And { lhs, rhs, .. } => Node::And(boxed(expr, *lhs)?, boxed(expr, *rhs)?),
        Ast::Or { lhs, rhs, .. } => Node::Or(boxed(expr, *lhs)?, boxed(expr, *rhs)?),
        Ast::Not { node, .. } => Node::Not(boxed(expr, *node)?),
        Ast::MultiList { elements, .. } => Node::MultiList(
            elements
                .into_iter()
                .map(|e| convert(expr, e))
                .collect::<Result<_, _>>()?,
        ),
        Ast::MultiHash { elements, .. } => Node::MultiHash(
            elements
                .into_iter()
                .map(|kv| Ok((kv.key, convert(expr, kv.value)?)))
                .collect::<Result<_, JmesError>>()?,
        ),
        Ast::Function { name, args, .. } => Node::Function(
            name,
            args.into_iter()
                .map(|e| convert(expr, e))
                .collect::<Result<_, _>>()?,
        ),
        Ast::Expref { ast, .. } => Node::ExpRef(boxed(expr, *ast)?),
        Ast::Condition { .. } | Ast::ObjectValues { .. } => {
            return Err(JmesError::Parse {
                expr: truncate(expr),
                message: "unexpected node outside a projection".to_string(),
            })
        }
    })
}
