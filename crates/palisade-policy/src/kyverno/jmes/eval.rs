//! The tree interpreter, node by node as the fork's `interpreter.go`.
//!
//! Values are borrowed from the searched document where possible (`Cow`), so following a path
//! copies nothing; every copy or built value is charged against [`MAX_BUILT`].

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::ast::{Cmp, Node};
use super::goformat::{as_f64, equal, is_false};
use super::limits::{size, MAX_BUILT, MAX_EVAL_DEPTH, MAX_STEPS};
use super::JmesError;

pub(super) type V<'a> = Cow<'a, Value>;

/// A function argument: a value, or an expression reference (`&expr`).
pub(super) enum Arg<'n, 'a> {
    Value(V<'a>),
    ExpRef(&'n Node),
}

pub(super) fn search(root: &Node, data: &Value) -> Result<Value, JmesError> {
    let mut interp = Interp {
        steps: 0,
        built: 0,
        depth: 0,
    };
    let out = interp.eval(root, &Cow::Borrowed(data))?;
    interp.own(out)
}

pub(super) struct Interp {
    steps: usize,
    built: usize,
    depth: usize,
}

fn is_not_found(e: &JmesError) -> bool {
    matches!(e, JmesError::NotFound(_))
}

impl Interp {
    /// Charges a value about to be copied or kept as built.
    pub(super) fn charge(&mut self, v: &Value) -> Result<(), JmesError> {
        self.built = self.built.saturating_add(size(v));
        if self.built > MAX_BUILT {
            return Err(JmesError::Limit);
        }
        Ok(())
    }

    /// An owned value, copying (and charging) a borrowed one.
    pub(super) fn own(&mut self, v: V<'_>) -> Result<Value, JmesError> {
        match v {
            Cow::Borrowed(b) => {
                self.charge(b)?;
                Ok(b.clone())
            }
            Cow::Owned(o) => Ok(o),
        }
    }

    /// Evaluates `node`, turning NotFound into null as most of the fork's nodes do.
    pub(super) fn eval_lenient<'a>(
        &mut self,
        node: &Node,
        value: &V<'a>,
    ) -> Result<V<'a>, JmesError> {
        match self.eval(node, value) {
            Err(e) if is_not_found(&e) => Ok(Cow::Owned(Value::Null)),
            r => r,
        }
    }

    pub(super) fn eval<'a>(&mut self, node: &Node, value: &V<'a>) -> Result<V<'a>, JmesError> {
        self.steps += 1;
        if self.steps > MAX_STEPS || self.depth >= MAX_EVAL_DEPTH {
            return Err(JmesError::Limit);
        }
        self.depth += 1;
        let out = self.eval_node(node, value);
        self.depth -= 1;
        out
    }

    fn eval_node<'a>(&mut self, node: &Node, value: &V<'a>) -> Result<V<'a>, JmesError> {
        Ok(match node {
            Node::Identity => self.dup(value)?,
            Node::Literal(v) => Cow::Owned(v.clone()),
            Node::Field(key) => match value {
                Cow::Borrowed(Value::Object(m)) => match m.get(key) {
                    Some(v) => Cow::Borrowed(v),
                    None => return Err(JmesError::NotFound(key.clone())),
                },
                Cow::Owned(Value::Object(m)) => match m.get(key) {
                    Some(v) => {
                        self.charge(v)?;
                        Cow::Owned(v.clone())
                    }
                    None => return Err(JmesError::NotFound(key.clone())),
                },
                _ => null(),
            },
            Node::Index(i) => match value.as_ref() {
                Value::Array(a) => {
                    let idx = if *i < 0 { *i + a.len() as i64 } else { *i };
                    match usize::try_from(idx).ok().filter(|&u| u < a.len()) {
                        Some(u) => self.element(value, u)?,
                        None => null(),
                    }
                }
                _ => null(),
            },
            Node::Subexpr(lhs, rhs) => {
                let left = self.eval(lhs, value)?;
                self.eval(rhs, &left)?
            }
            Node::Pipe(lhs, rhs) => {
                let left = self.eval_lenient(lhs, value)?;
                self.eval_lenient(rhs, &left)?
            }
            Node::Comparator(cmp, lhs, rhs) => {
                let l = self.eval_lenient(lhs, value)?;
                let r = self.eval_lenient(rhs, value)?;
                Cow::Owned(compare(*cmp, &l, &r))
            }
            Node::And(lhs, rhs) => {
                let l = self.eval_lenient(lhs, value)?;
                if is_false(&l) {
                    return Ok(l);
                }
                // The fork returns the right side's error as is, NotFound included.
                self.eval(rhs, value)?
            }
            Node::Or(lhs, rhs) => {
                let l = self.eval_lenient(lhs, value)?;
                if is_false(&l) {
                    self.eval_lenient(rhs, value)?
                } else {
                    l
                }
            }
            Node::Not(inner) => {
                let v = self.eval_lenient(inner, value)?;
                Cow::Owned(Value::Bool(is_false(&v)))
            }
            Node::MultiList(items) => {
                if value.is_null() {
                    return Ok(null());
                }
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    let v = self.eval_lenient(item, value)?;
                    out.push(self.own(v)?);
                }
                Cow::Owned(Value::Array(out))
            }
            Node::MultiHash(pairs) => {
                if value.is_null() {
                    return Ok(null());
                }
                let mut out = Map::new();
                for (key, item) in pairs {
                    let v = self.eval_lenient(item, value)?;
                    out.insert(key.clone(), self.own(v)?);
                }
                Cow::Owned(Value::Object(out))
            }
            Node::Projection(lhs, rhs) => {
                let left = self.eval_lenient(lhs, value)?;
                self.project(left, |_, _| Ok(true), rhs)?
            }
            Node::FilterProjection { lhs, rhs, cond } => {
                // Any error on the left, not only NotFound, gives null.
                let Ok(left) = self.eval(lhs, value) else {
                    return Ok(null());
                };
                self.project(
                    left,
                    |this, el| Ok(!is_false(this.eval_lenient(cond, el)?.as_ref())),
                    rhs,
                )?
            }
            Node::Flatten(inner) => {
                let Ok(left) = self.eval(inner, value) else {
                    return Ok(null());
                };
                self.flatten(left)?
            }
            Node::ValueProjection(lhs, rhs) => {
                let Ok(left) = self.eval(lhs, value) else {
                    return Ok(null());
                };
                self.value_projection(left, rhs)?
            }
            Node::Slice { start, stop, step } => match value.as_ref() {
                Value::Array(a) => {
                    let picked = slice_indices(a.len(), *start, *stop, *step)?;
                    let mut out = Vec::with_capacity(picked.len());
                    for i in picked {
                        let v = self.element(value, i)?;
                        out.push(self.own(v)?);
                    }
                    Cow::Owned(Value::Array(out))
                }
                _ => null(),
            },
            Node::Function(name, args) => {
                let mut resolved = Vec::with_capacity(args.len());
                for arg in args {
                    match arg {
                        Node::ExpRef(inner) => resolved.push(Arg::ExpRef(inner)),
                        _ => resolved.push(Arg::Value(self.eval_lenient(arg, value)?)),
                    }
                }
                let out = super::builtins::call(self, name, resolved)?;
                self.charge(&out)?;
                Cow::Owned(out)
            }
            Node::ExpRef(_) => {
                // Only meaningful as a function argument, handled above; elsewhere the fork
                // yields an opaque value that no later node can use.
                return Err(JmesError::function(
                    "&",
                    "expression reference outside a function",
                ));
            }
        })
    }

    /// A copy of `value` that may outlive this call: free when borrowed.
    fn dup<'a>(&mut self, value: &V<'a>) -> Result<V<'a>, JmesError> {
        Ok(match value {
            Cow::Borrowed(b) => Cow::Borrowed(*b),
            Cow::Owned(o) => {
                self.charge(o)?;
                Cow::Owned(o.clone())
            }
        })
    }

    fn element<'a>(&mut self, value: &V<'a>, i: usize) -> Result<V<'a>, JmesError> {
        Ok(match value {
            Cow::Borrowed(Value::Array(a)) => match a.get(i) {
                Some(v) => Cow::Borrowed(v),
                None => null(),
            },
            Cow::Owned(Value::Array(a)) => match a.get(i) {
                Some(v) => {
                    self.charge(v)?;
                    Cow::Owned(v.clone())
                }
                None => null(),
            },
            _ => null(),
        })
    }

    /// Elements of an array value, without copying when it is borrowed.
    fn elements<'a>(value: V<'a>) -> Option<Vec<V<'a>>> {
        match value {
            Cow::Borrowed(Value::Array(a)) => Some(a.iter().map(Cow::Borrowed).collect()),
            Cow::Owned(Value::Array(a)) => Some(a.into_iter().map(Cow::Owned).collect()),
            _ => None,
        }
    }

    fn project<'a>(
        &mut self,
        left: V<'a>,
        mut keep: impl FnMut(&mut Self, &V<'a>) -> Result<bool, JmesError>,
        rhs: &Node,
    ) -> Result<V<'a>, JmesError> {
        let Some(items) = Self::elements(left) else {
            return Ok(null());
        };
        let mut out = Vec::new();
        for el in items {
            if !keep(self, &el)? {
                continue;
            }
            let v = self.eval_lenient(rhs, &el)?;
            if !v.is_null() {
                out.push(self.own(v)?);
            }
        }
        Ok(Cow::Owned(Value::Array(out)))
    }

    fn flatten<'a>(&mut self, left: V<'a>) -> Result<V<'a>, JmesError> {
        let Some(items) = Self::elements(left) else {
            return Ok(null());
        };
        let mut out = Vec::new();
        for el in items {
            match el {
                Cow::Borrowed(Value::Array(inner)) => {
                    for v in inner {
                        self.charge(v)?;
                        out.push(v.clone());
                    }
                }
                Cow::Owned(Value::Array(inner)) => out.extend(inner),
                other => out.push(self.own(other)?),
            }
        }
        Ok(Cow::Owned(Value::Array(out)))
    }

    fn value_projection<'a>(&mut self, left: V<'a>, rhs: &Node) -> Result<V<'a>, JmesError> {
        let values: Vec<V<'a>> = match left {
            Cow::Borrowed(Value::Object(m)) => m.values().map(Cow::Borrowed).collect(),
            Cow::Owned(Value::Object(m)) => m.into_iter().map(|(_, v)| Cow::Owned(v)).collect(),
            _ => return Ok(null()),
        };
        // The fork builds its list as `make([]interface{}, len(m))` and then appends, so the
        // right side also runs once per entry on a leading nil; reproduced, since a right side
        // such as `to_string(@)` turns that nil into a value.
        let mut out = Vec::new();
        let nil: V<'a> = null();
        for _ in 0..values.len() {
            let v = self.eval_lenient(rhs, &nil)?;
            if !v.is_null() {
                out.push(self.own(v)?);
            }
        }
        for el in values {
            let v = self.eval_lenient(rhs, &el)?;
            if !v.is_null() {
                out.push(self.own(v)?);
            }
        }
        Ok(Cow::Owned(Value::Array(out)))
    }

    /// Runs an expression reference on one element (map, sort_by, ...), NotFound as null.
    pub(super) fn apply(&mut self, node: &Node, el: &Value) -> Result<Value, JmesError> {
        let v = self.eval_lenient(node, &Cow::Borrowed(el))?;
        self.own(v)
    }

    /// Runs an expression reference, keeping errors (sort_by's comparisons see them).
    pub(super) fn apply_strict(&mut self, node: &Node, el: &Value) -> Result<Value, JmesError> {
        let v = self.eval(node, &Cow::Borrowed(el))?;
        self.own(v)
    }
}

fn null<'a>() -> V<'a> {
    Cow::Owned(Value::Null)
}

fn compare(cmp: Cmp, l: &Value, r: &Value) -> Value {
    match cmp {
        Cmp::Eq => return Value::Bool(equal(l, r)),
        Cmp::Ne => return Value::Bool(!equal(l, r)),
        _ => {}
    }
    let (Some(a), Some(b)) = (as_f64(l), as_f64(r)) else {
        return Value::Null;
    };
    Value::Bool(match cmp {
        Cmp::Lt => a < b,
        Cmp::Lte => a <= b,
        Cmp::Gt => a > b,
        _ => a >= b,
    })
}

/// go-jmespath's `computeSliceParams` and `slice`.
fn slice_indices(
    len: usize,
    start: Option<i64>,
    stop: Option<i64>,
    step: i64,
) -> Result<Vec<usize>, JmesError> {
    if step == 0 {
        return Err(JmesError::function(
            "slice",
            "Invalid slice, step cannot be 0",
        ));
    }
    let len = len as i64;
    let cap = |actual: i64| -> i64 {
        if actual < 0 {
            let a = actual + len;
            if a < 0 {
                if step < 0 {
                    -1
                } else {
                    0
                }
            } else {
                a
            }
        } else if actual >= len {
            if step < 0 {
                len - 1
            } else {
                len
            }
        } else {
            actual
        }
    };
    let start = match start {
        Some(s) => cap(s),
        None if step < 0 => len - 1,
        None => 0,
    };
    let stop = match stop {
        Some(s) => cap(s),
        None if step < 0 => -1,
        None => len,
    };
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        if let Ok(u) = usize::try_from(i) {
            out.push(u);
        }
        i += step;
    }
    Ok(out)
}
