//! CEL as the API server runs it for ValidatingAdmissionPolicies, on top of the `cel` crate
//! (through `kube-cel`, which adds the Kubernetes libraries).
//!
//! The crate's `Program::compile` parses without optional syntax (`object.?spec`), so
//! expressions are parsed here with the crate's `Parser` and then checked and rewritten:
//!
//! - `cel.bind(v, init, body)` becomes the comprehension cel-go expands it to;
//! - a call of a function that neither the crate nor Kubernetes' CEL knows (`startWith`) is a
//!   compile error, as it is for the API server's type checker;
//! - functions Kubernetes has and the crate lacks (`sortBy`, two-variable comprehensions,
//!   `type`, the authorizer library) compile, and an evaluation that reaches them is an error
//!   that names them — never a wrong value;
//! - message construction (`Type{…}`), which the crate cannot evaluate, is refused.
//!
//! Hostile input: an expression may be at most [`MAX_EXPRESSION_LEN`] bytes and nest brackets
//! [`MAX_NESTING`] deep, and its tree may be [`MAX_DEPTH`] deep, because both the parser and
//! the evaluator recurse; evaluation also runs under `catch_unwind`.

pub use super::env::{context, to_cel, type_name};
use super::env::{KNOWN, KUBERNETES_ONLY, OPT_INDEX, OPT_SELECT};
use kube_cel::cel::common::ast::{
    CallExpr, ComprehensionExpr, EntryExpr, Expr, IdedExpr, ListExpr, LiteralValue,
};
use kube_cel::cel::parser::Parser;
use kube_cel::cel::{Context, ExecutionError, Value};

/// Longest expression accepted (64 KiB); policies in the wild stay far below.
pub const MAX_EXPRESSION_LEN: usize = 64 * 1024;
/// Deepest bracket nesting accepted before parsing: the parser recurses per level.
pub const MAX_NESTING: usize = 32;
/// Deepest expression tree accepted after parsing: the evaluator recurses per level.
pub const MAX_DEPTH: usize = 200;
/// Most operator characters (`+`, `&`, `!`, …) accepted outside string literals: each may
/// add a level to the parse.
pub const MAX_OPERATORS: usize = 2000;
/// Stack of the thread that parses.
const PARSER_STACK: usize = 64 * 1024 * 1024;

/// One compiled expression.
#[derive(Debug, Clone)]
pub struct Expression {
    pub source: String,
    ast: IdedExpr,
    /// It names `authorizer` (directly or through a variable): its errors are explained as
    /// the authorizer being unavailable offline.
    pub uses_authorizer: bool,
    /// The `variables.x` it reads.
    pub variables: Vec<String>,
    /// Kubernetes-only functions it calls, with why they fail here.
    unsupported: Vec<(String, String)>,
    /// Why the first function it calls that cannot run offline cannot ([`Extensions`]):
    /// any error of the expression is explained by it.
    pub offline: Option<String>,
}

impl Expression {
    /// Parses and checks `source`; `declared` are the variables it may read.
    pub fn compile(source: &str, declared: &[String]) -> Result<Expression, String> {
        Expression::compile_with(source, declared, Extensions::default())
    }

    /// As [`Expression::compile`], in an environment that adds `ext`'s functions (Kyverno's
    /// CEL libraries).
    pub fn compile_with(
        source: &str,
        declared: &[String],
        ext: Extensions,
    ) -> Result<Expression, String> {
        if source.len() > MAX_EXPRESSION_LEN {
            return Err(format!(
                "expression is {} bytes, more than the {MAX_EXPRESSION_LEN} accepted",
                source.len()
            ));
        }
        if nesting(source) > MAX_NESTING {
            return Err(format!(
                "expression nests more than {MAX_NESTING} levels deep"
            ));
        }
        if operators(source) > MAX_OPERATORS {
            return Err(format!(
                "expression has more than {MAX_OPERATORS} operator characters"
            ));
        }
        // The parser recurses once per operator of a chain (`a + a + …`), deeper than a
        // test thread's stack allows for the longest chains accepted: parse on a thread of
        // its own with room to spare.
        let (src, names) = (source.to_string(), declared.to_vec());
        std::thread::Builder::new()
            .stack_size(PARSER_STACK)
            .spawn(move || Expression::parse(&src, &names, ext))
            .map_err(|e| format!("cannot start the CEL parser: {e}"))?
            .join()
            .unwrap_or_else(|_| Err("the CEL parser failed on this expression".to_string()))
    }

    fn parse(source: &str, declared: &[String], ext: Extensions) -> Result<Expression, String> {
        let mut ast = Parser::new()
            .enable_optional_syntax(true)
            .parse(source)
            .map_err(|e| {
                let text = e.to_string();
                text.lines()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("does not parse")
                    .trim()
                    .to_string()
            })?;
        let mut check = Check {
            ext,
            offline: None,
            declared,
            variables: Vec::new(),
            authorizer: false,
            unsupported: Vec::new(),
        };
        check.walk(&mut ast, 0)?;
        Ok(Expression {
            source: source.trim().to_string(),
            ast,
            uses_authorizer: check.authorizer,
            variables: check.variables,
            unsupported: check.unsupported,
            offline: check.offline,
        })
    }

    /// Evaluates against `ctx`; an error says why in the API server's words where it can.
    pub fn eval(&self, ctx: &Context) -> Result<Value, String> {
        self.eval_in(ctx, false)
    }

    /// As [`Expression::eval`], in a context that defines the environment's offline functions
    /// itself (a Kyverno CLI test's mock cluster): an error is then the expression's own and
    /// is not blamed on the first offline function the expression calls.
    pub fn eval_offline_defined(&self, ctx: &Context) -> Result<Value, String> {
        self.eval_in(ctx, true)
    }

    fn eval_in(&self, ctx: &Context, offline_defined: bool) -> Result<Value, String> {
        let run = std::panic::AssertUnwindSafe(|| Value::resolve(&self.ast, ctx));
        match std::panic::catch_unwind(run) {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(self.explain(&e, offline_defined)),
            Err(_) => Err("the CEL evaluator failed on this expression".to_string()),
        }
    }

    fn explain(&self, e: &ExecutionError, offline_defined: bool) -> String {
        // First: the authorizer library's methods are looked up before `authorizer` itself.
        if self.uses_authorizer {
            return "authorizer is not available offline".to_string();
        }
        if let Some(why) = self.offline.as_ref().filter(|_| !offline_defined) {
            return why.clone();
        }
        if let ExecutionError::UndeclaredReference(name) = e {
            if let Some((_, why)) = self.unsupported.iter().find(|(n, _)| n == name.as_str()) {
                return why.clone();
            }
        }
        let text = e.to_string();
        match e {
            ExecutionError::NoSuchKey(k) => format!("no such key: {k}"),
            _ => text,
        }
    }
}

/// Functions an environment adds to Kubernetes' CEL: names it defines (registered in its
/// context), and qualified names that exist there but cannot run offline, with why (they
/// compile; an evaluation that reaches one is an error saying so).
#[derive(Debug, Clone, Copy, Default)]
pub struct Extensions {
    pub known: &'static [&'static str],
    pub offline: &'static [(&'static str, &'static str)],
}

struct Check<'a> {
    ext: Extensions,
    offline: Option<String>,
    declared: &'a [String],
    variables: Vec<String>,
    authorizer: bool,
    unsupported: Vec<(String, String)>,
}

impl Check<'_> {
    fn walk(&mut self, e: &mut IdedExpr, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!("expression is more than {MAX_DEPTH} levels deep"));
        }
        let d = depth + 1;
        if let Some(rewritten) = bind_macro(e) {
            *e = rewritten;
        }
        optional_chain_step(e);
        // The crate's `_?._` and `_[?_]` wrap a missing field of a present optional in
        // another optional (`a.?b.?c` with no `c` is `optional.of(optional.none())`), so
        // they are replaced by functions defined here.
        if let Expr::Call(call) = &mut e.expr {
            if call.target.is_none() && call.args.len() == 2 {
                match call.func_name.as_str() {
                    "_?._" => call.func_name = OPT_SELECT.to_string(),
                    "_[?_]" => call.func_name = OPT_INDEX.to_string(),
                    _ => {}
                }
            }
        }
        match &mut e.expr {
            Expr::Unspecified => return Err("expression does not parse".to_string()),
            Expr::Struct(s) => {
                return Err(format!(
                    "message construction ({}{{…}}) is not supported",
                    s.type_name
                ))
            }
            Expr::Ident(name) => {
                if name == "authorizer" {
                    self.authorizer = true;
                }
            }
            Expr::Literal(_) => {}
            Expr::Select(s) => {
                if let Expr::Ident(root) = &s.operand.expr {
                    if root == "variables" {
                        if !self.declared.iter().any(|v| v == &s.field) {
                            return Err(format!("undefined field 'variables.{}'", s.field));
                        }
                        self.variables.push(s.field.clone());
                    }
                }
                self.walk(&mut s.operand, d)?;
            }
            Expr::List(l) => {
                for x in &mut l.elements {
                    self.walk(x, d)?;
                }
            }
            Expr::Map(m) => {
                for entry in &mut m.entries {
                    match &mut entry.expr {
                        EntryExpr::MapEntry(me) => {
                            self.walk(&mut me.key, d)?;
                            self.walk(&mut me.value, d)?;
                        }
                        EntryExpr::StructField(f) => self.walk(&mut f.value, d)?,
                    }
                }
            }
            Expr::Comprehension(c) => {
                for x in [
                    &mut c.iter_range,
                    &mut c.accu_init,
                    &mut c.loop_cond,
                    &mut c.loop_step,
                    &mut c.result,
                ] {
                    self.walk(x, d)?;
                }
            }
            Expr::Call(call) => {
                self.function(call)?;
                if let Some(t) = &mut call.target {
                    self.walk(t, d)?;
                }
                for a in &mut call.args {
                    self.walk(a, d)?;
                }
            }
        }
        Ok(())
    }

    /// Whether the function a call names exists: in the crate, in Kubernetes only (then noted),
    /// or nowhere (a compile error, as the API server's type checker reports it).
    fn function(&mut self, call: &CallExpr) -> Result<(), String> {
        let name = call.func_name.as_str();
        if name.starts_with(['_', '@', '!', '-', '#']) {
            return Ok(());
        }
        let qualified = match call.target.as_deref().map(|t| &t.expr) {
            Some(Expr::Ident(p)) => Some(format!("{p}.{name}")),
            _ => None,
        };
        let known = |n: &str| KNOWN.contains(&n) || self.ext.known.contains(&n);
        if known(name) || qualified.as_deref().is_some_and(known) {
            return Ok(());
        }
        let offline = self
            .ext
            .offline
            .iter()
            .find(|(n, _)| qualified.as_deref() == Some(*n) || *n == name);
        let why = if let Some((_, why)) = offline {
            self.offline.get_or_insert_with(|| (*why).to_string());
            Some((*why).to_string())
        } else if matches!(name, "all" | "exists" | "existsOne" | "exists_one") {
            Some(format!(
                "two-variable comprehension {name}(k, v, …) is not supported by this CEL implementation"
            ))
        } else if KUBERNETES_ONLY.contains(&name) {
            Some(format!(
                "function '{name}' is not supported by this CEL implementation"
            ))
        } else {
            None
        };
        match why {
            Some(why) => {
                self.unsupported.push((name.to_string(), why));
                Ok(())
            }
            None => Err(format!(
                "undeclared reference to '{}'",
                qualified.unwrap_or_else(|| name.to_string())
            )),
        }
    }
}

/// Whether an expression is an optional chain (`a.?b`, `a[?k]`, and selections or
/// indexes on one).
fn is_optional_chain(e: &IdedExpr) -> bool {
    match &e.expr {
        Expr::Call(c) => match c.func_name.as_str() {
            "_?._" | "_[?_]" => true,
            n if n == OPT_SELECT || n == OPT_INDEX => true,
            "_[_]" if c.target.is_none() && c.args.len() == 2 => is_optional_chain(&c.args[0]),
            _ => false,
        },
        Expr::Select(s) if !s.test => is_optional_chain(&s.operand),
        _ => false,
    }
}

/// In cel-go a selection or index on an optional chain stays optional (`a.?b.c` is none
/// when `b` or `c` is missing); the crate would unwrap it. Such steps become optional ones.
fn optional_chain_step(e: &mut IdedExpr) {
    let id = e.id;
    match &mut e.expr {
        Expr::Select(s) if !s.test && is_optional_chain(&s.operand) => {
            let field = IdedExpr {
                id,
                expr: Expr::Literal(LiteralValue::String(s.field.clone().into())),
            };
            let operand = (*s.operand).clone();
            e.expr = Expr::Call(CallExpr {
                func_name: OPT_SELECT.to_string(),
                target: None,
                args: vec![operand, field],
            });
        }
        Expr::Call(c)
            if c.func_name == "_[_]"
                && c.target.is_none()
                && c.args.len() == 2
                && is_optional_chain(&c.args[0]) =>
        {
            c.func_name = OPT_INDEX.to_string();
        }
        _ => {}
    }
}

/// `cel.bind(v, init, body)` as cel-go expands it: a comprehension over nothing whose
/// accumulator `v` starts as `init` and whose result is `body`.
fn bind_macro(e: &IdedExpr) -> Option<IdedExpr> {
    let Expr::Call(call) = &e.expr else {
        return None;
    };
    let target_is_cel =
        matches!(call.target.as_deref().map(|t| &t.expr), Some(Expr::Ident(t)) if t == "cel");
    if call.func_name != "bind" || !target_is_cel || call.args.len() != 3 {
        return None;
    }
    let Expr::Ident(var) = &call.args[0].expr else {
        return None;
    };
    let node = |expr| IdedExpr { id: e.id, expr };
    Some(node(Expr::Comprehension(Box::new(ComprehensionExpr {
        iter_range: node(Expr::List(ListExpr::new(Vec::new()))),
        iter_var: "#unused".to_string(),
        iter_var2: None,
        accu_var: var.clone(),
        accu_init: call.args[1].clone(),
        loop_cond: node(Expr::Literal(LiteralValue::Boolean(false.into()))),
        loop_step: node(Expr::Ident(var.clone())),
        result: call.args[2].clone(),
    }))))
}

/// Operator characters outside string literals.
fn operators(source: &str) -> usize {
    let bytes = source.as_bytes();
    let (mut count, mut i) = (0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => match crate::text::quoted_end(bytes, i) {
                Some(end) => i = end,
                None => return count,
            },
            b'+' | b'-' | b'*' | b'/' | b'%' | b'!' | b'<' | b'>' | b'=' | b'&' | b'|' | b'?' => {
                count += 1
            }
            _ => {}
        }
        i += 1;
    }
    count
}

/// Deepest bracket nesting outside string literals.
fn nesting(source: &str) -> usize {
    let bytes = source.as_bytes();
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => match crate::text::quoted_end(bytes, i) {
                Some(end) => i = end,
                None => return max,
            },
            b'(' | b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    max
}
