//! One validate rule against one resource: context, preconditions, then `deny`, `pattern`,
//! `anyPattern`, `foreach` or `podSecurity`, with Kyverno's pass/fail/skip/error outcomes
//! (`pkg/engine/handlers/validation/validate_resource.go`).

use super::pattern::{self, Mismatch};
use super::{conditions, jmes, pss, vars};
use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Skip,
    /// A failure of a policy marked `policies.kyverno.io/scored: "false"`.
    Warn,
    Error,
}

/// The outcome of one rule.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: Status,
    pub message: String,
}

impl Response {
    fn new(status: Status, message: impl Into<String>) -> Response {
        Response {
            status,
            message: message.into(),
        }
    }
}

/// Deepest `foreach` nesting followed.
const MAX_NESTING: usize = 8;

/// Evaluates a validate rule; `None` when Kyverno reports nothing (a `foreach` over no
/// elements).
pub fn validate(rule: &Value, ctx: &mut Value, resource: &Value) -> Option<Response> {
    let name = rule.get("name").and_then(Value::as_str).unwrap_or("");
    let validation = rule.get("validate")?;
    let v = Validator {
        name,
        message: validation
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or(""),
        context: rule.get("context"),
        preconditions: rule.get("preconditions"),
        body: validation,
        cel_preconditions: rule.get("celPreconditions"),
        nesting: 0,
    };
    v.run(ctx, resource, None)
}

struct Validator<'a> {
    name: &'a str,
    message: &'a str,
    context: Option<&'a Value>,
    preconditions: Option<&'a Value>,
    /// The `validate` block, or one `foreach` entry.
    body: &'a Value,
    /// The rule's `celPreconditions`, for `validate.cel`.
    cel_preconditions: Option<&'a Value>,
    nesting: usize,
}

impl Validator<'_> {
    fn run(&self, ctx: &mut Value, resource: &Value, element: Option<&Value>) -> Option<Response> {
        if let Err(e) = load_context(self.context, ctx) {
            return Some(Response::new(
                Status::Error,
                format!("failed to load context: {e}"),
            ));
        }
        match check_conditions(self.preconditions, ctx) {
            Err(e) => {
                return Some(Response::new(
                    Status::Error,
                    format!("failed to evaluate preconditions: {e}"),
                ))
            }
            Ok((false, msg)) => {
                let m = if msg.is_empty() {
                    "preconditions not met".to_string()
                } else {
                    format!("preconditions not met; {msg}")
                };
                return Some(Response::new(Status::Skip, m));
            }
            Ok((true, _)) => {}
        }
        let b = self.body;
        if let Some(deny) = b.get("deny") {
            return Some(self.deny(deny, ctx));
        }
        if b.get("pattern").is_some() || b.get("anyPattern").is_some() {
            let target = element.filter(|e| e.is_object()).unwrap_or(resource);
            if element.is_none() && operation(ctx) == "DELETE" {
                return None;
            }
            return Some(self.patterns(ctx, target));
        }
        if let Some(list) = b.get("foreach").and_then(Value::as_array) {
            return self.foreach(list, ctx, resource);
        }
        if let Some(ps) = b.get("podSecurity") {
            return Some(self.pod_security(ps, resource));
        }
        if let Some(cel) = b.get("cel") {
            // `celPreconditions` sit on the rule; Kyverno compiles them as the cel block's
            // match conditions.
            let cel = match self.cel_preconditions {
                Some(pre) if cel.is_object() => {
                    let mut c = cel.clone();
                    c["matchConditions"] = pre.clone();
                    std::borrow::Cow::Owned(c)
                }
                _ => std::borrow::Cow::Borrowed(cel),
            };
            return Some(super::cel::validate_with(
                self.name,
                &cel,
                self.message,
                resource,
                ctx,
            ));
        }
        for unsupported in ["manifests", "assert"] {
            if b.get(unsupported).is_some() {
                return Some(Response::new(
                    Status::Error,
                    format!("validate.{unsupported} is not supported"),
                ));
            }
        }
        None
    }

    fn deny(&self, deny: &Value, ctx: &Value) -> Response {
        let conds = deny.get("conditions").unwrap_or(&Value::Null);
        match check_conditions(Some(conds), ctx) {
            Err(e) => Response::new(
                Status::Error,
                format!("failed to check deny conditions: {e}"),
            ),
            Ok((true, msg)) => {
                let joined: Vec<&str> = [self.message, msg.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect();
                let text = if joined.is_empty() {
                    format!("validation error: rule {} failed", self.name)
                } else {
                    match vars::substitute(&Value::String(joined.join("; ")), ctx) {
                        Ok(Value::String(s)) => s,
                        Ok(_) => "the produced message didn't resolve to a string, check your policy definition.".into(),
                        Err(_) => msg,
                    }
                };
                Response::new(Status::Fail, text)
            }
            Ok((false, _)) => Response::new(
                Status::Pass,
                format!("validation rule '{}' passed.", self.name),
            ),
        }
    }

    fn error_message(&self, ctx: &Value, detail: &str, path: Option<&str>) -> String {
        if self.message.is_empty() {
            return match path {
                Some(p) => format!("validation error: rule {} failed at path {p}", self.name),
                None => format!(
                    "validation error: rule {} execution error: {detail}",
                    self.name
                ),
            };
        }
        let mut msg = match vars::substitute(&Value::String(self.message.to_string()), ctx) {
            Ok(Value::String(s)) => s,
            _ => self.message.to_string(),
        };
        if !msg.ends_with('.') {
            msg.push('.');
        }
        match path {
            Some(p) => format!(
                "validation error: {msg} rule {} failed at path {p}",
                self.name
            ),
            None => format!(
                "validation error: {msg} rule {} execution error: {detail}",
                self.name
            ),
        }
    }

    fn patterns(&self, ctx: &Value, target: &Value) -> Response {
        if let Some(p) = self.body.get("pattern") {
            let p = match vars::substitute(p, ctx) {
                Ok(p) => p,
                Err(e) => {
                    return Response::new(
                        Status::Error,
                        format!("variable substitution failed: {e}"),
                    )
                }
            };
            return match pattern::check(target, &p) {
                Ok(()) => Response::new(
                    Status::Pass,
                    format!("validation rule '{}' passed.", self.name),
                ),
                Err(Mismatch::Skip(m)) => Response::new(Status::Skip, m),
                Err(Mismatch::Fail { path, message }) => {
                    Response::new(Status::Fail, self.error_message(ctx, &message, Some(&path)))
                }
                Err(Mismatch::Error(m)) => {
                    Response::new(Status::Error, self.error_message(ctx, &m, None))
                }
            };
        }
        let any = match self
            .body
            .get("anyPattern")
            .map(|p| vars::substitute(p, ctx))
        {
            Some(Ok(Value::Array(a))) => a,
            Some(Err(e)) => {
                return Response::new(Status::Error, format!("variable substitution failed: {e}"))
            }
            _ => {
                return Response::new(
                    Status::Error,
                    "failed to deserialize anyPattern, expected type array",
                )
            }
        };
        let (mut failed, mut skipped) = (Vec::new(), Vec::new());
        for (i, p) in any.iter().enumerate() {
            match pattern::check(target, p) {
                Ok(()) => {
                    return Response::new(
                        Status::Pass,
                        format!("validation rule '{}' anyPattern[{i}] passed.", self.name),
                    )
                }
                Err(Mismatch::Skip(m)) => {
                    skipped.push(format!("rule {}[{i}] skipped: {m}", self.name))
                }
                Err(Mismatch::Fail { path, .. }) => {
                    failed.push(format!("rule {}[{i}] failed at path {path}", self.name))
                }
                Err(Mismatch::Error(m)) => {
                    failed.push(format!("rule {}[{i}] failed: {m}", self.name))
                }
            }
        }
        if failed.is_empty() && !skipped.is_empty() {
            return Response::new(Status::Skip, skipped.join(" "));
        }
        let errs = failed.join(" ");
        let text = if self.message.is_empty() {
            format!("validation error: {errs}")
        } else {
            let msg = match vars::substitute(&Value::String(self.message.to_string()), ctx) {
                Ok(Value::String(s)) => s,
                _ => self.message.to_string(),
            };
            if msg.ends_with('.') {
                format!("validation error: {msg} {errs}")
            } else {
                format!("validation error: {msg}. {errs}")
            }
        };
        Response::new(Status::Fail, text)
    }

    fn foreach(&self, list: &[Value], ctx: &mut Value, resource: &Value) -> Option<Response> {
        if self.nesting >= MAX_NESTING {
            return Some(Response::new(Status::Error, "foreach nested too deeply"));
        }
        let mut applied = 0usize;
        let mut list_error: Option<String> = None;
        for fe in list {
            let expr = fe.get("list").and_then(Value::as_str).unwrap_or("");
            let elements = match vars::substitute(&Value::String(format!("{{{{{expr}}}}}")), ctx) {
                Ok(Value::Array(a)) => a,
                Ok(Value::Null) => Vec::new(),
                Ok(other) => {
                    list_error = Some(format!(
                        "failed to evaluate list {expr}: not a list: {other}"
                    ));
                    continue;
                }
                Err(vars::VarError::NotFound(_)) => continue,
                Err(e) => {
                    list_error = Some(e.to_string());
                    continue;
                }
            };
            let inner = Validator {
                name: self.name,
                message: self.message,
                context: fe.get("context"),
                preconditions: fe.get("preconditions"),
                body: fe,
                cel_preconditions: None,
                nesting: self.nesting + 1,
            };
            let saved = ctx.clone();
            for (index, element) in elements.iter().enumerate() {
                if element.is_null() {
                    continue;
                }
                set_element(ctx, element, index, self.nesting);
                let r = inner.run(ctx, resource, Some(element));
                let Some(r) = r else { continue };
                match r.status {
                    Status::Pass => applied += 1,
                    Status::Skip => {}
                    Status::Error if r.message.contains("failed to evaluate preconditions") => {}
                    status => {
                        *ctx = saved;
                        return Some(Response::new(
                            status,
                            format!("validation failure: {}", r.message),
                        ));
                    }
                }
            }
            *ctx = saved;
        }
        if applied == 0 {
            return list_error
                .map(|e| Response::new(Status::Error, format!("failed to evaluate list: {e}")));
        }
        Some(Response::new(Status::Pass, "rule passed"))
    }

    fn pod_security(&self, spec: &Value, resource: &Value) -> Response {
        let ps = match pss::PodSecurity::parse(spec) {
            Ok(p) => p,
            Err(e) => return Response::new(Status::Error, e),
        };
        match ps.check(resource) {
            None => Response::new(
                Status::Pass,
                format!("validation rule '{}' passed.", self.name),
            ),
            Some(r) if r.passed => Response::new(Status::Pass, r.message),
            Some(r) => Response::new(Status::Fail, r.message),
        }
    }
}

fn operation(ctx: &Value) -> &str {
    ctx.pointer("/request/operation")
        .and_then(Value::as_str)
        .unwrap_or("")
}

pub(super) fn set_element(ctx: &mut Value, element: &Value, index: usize, nesting: usize) {
    if let Some(m) = ctx.as_object_mut() {
        m.insert("element".into(), element.clone());
        m.insert("elementIndex".into(), Value::from(index));
        m.insert(format!("element{nesting}"), element.clone());
        m.insert(format!("elementIndex{nesting}"), Value::from(index));
    }
}

/// `context` entries: `variable` is evaluated here; entries that need the cluster or the
/// network are an error unless the test's values file already provides them.
pub(super) fn load_context(entries: Option<&Value>, ctx: &mut Value) -> Result<(), String> {
    for e in entries.and_then(Value::as_array).into_iter().flatten() {
        let name = e.get("name").and_then(Value::as_str).unwrap_or("");
        if name.is_empty() {
            continue;
        }
        if let Some(var) = e.get("variable") {
            let value = variable_entry(var, ctx)?;
            if let Some(m) = ctx.as_object_mut() {
                m.insert(name.to_string(), value);
            }
            continue;
        }
        if ctx.get(name).is_some() {
            continue;
        }
        let kind = ["configMap", "apiCall", "imageRegistry", "globalReference"]
            .into_iter()
            .find(|k| e.get(*k).is_some())
            .unwrap_or("unknown");
        return Err(format!(
            "context entry {name:?} ({kind}) needs the cluster or the network, which offline evaluation does not reach; provide it in a values file"
        ));
    }
    Ok(())
}

fn variable_entry(var: &Value, ctx: &Value) -> Result<Value, String> {
    let value = match var.get("value") {
        Some(v) => vars::substitute(v, ctx).map_err(|e| e.to_string())?,
        None => Value::Null,
    };
    let result = match var.get("jmesPath").and_then(Value::as_str) {
        Some(path) => {
            let path = match vars::substitute(&Value::String(path.to_string()), ctx) {
                Ok(Value::String(p)) => p,
                _ => path.to_string(),
            };
            let base = if var.get("value").is_some() {
                &value
            } else {
                ctx
            };
            match jmes::search(&path, base) {
                Ok(v) => v,
                Err(jmes::JmesError::NotFound(_)) => Value::Null,
                Err(e) => return Err(e.to_string()),
            }
        }
        None => value,
    };
    if result.is_null() {
        if let Some(d) = var.get("default") {
            return vars::substitute(d, ctx).map_err(|e| e.to_string());
        }
    }
    Ok(result)
}

/// `any`/`all` conditions (or the old plain list); `(holds, message)`.
pub fn check_conditions(conds: Option<&Value>, ctx: &Value) -> Result<(bool, String), String> {
    let Some(c) = conds.filter(|c| !c.is_null()) else {
        return Ok((true, String::new()));
    };
    if let Some(list) = c.as_array() {
        let mut msgs = Vec::new();
        for cond in list {
            let (ok, msg) = one(cond, ctx)?;
            if !ok {
                return Ok((false, msg));
            }
            msgs.push(msg);
        }
        return Ok((true, join(&msgs, ";")));
    }
    let (mut any_ok, mut all_ok) = (true, true);
    let (mut true_msgs, mut false_msgs) = (Vec::new(), Vec::new());
    if let Some(any) = c.get("any").and_then(Value::as_array) {
        any_ok = false;
        for cond in any {
            let (ok, msg) = one(cond, ctx)?;
            if ok {
                any_ok = true;
                true_msgs.push(msg);
                break;
            }
            false_msgs.push(msg);
        }
    }
    for cond in c.get("all").and_then(Value::as_array).into_iter().flatten() {
        let (ok, msg) = one(cond, ctx)?;
        if !ok {
            all_ok = false;
            false_msgs.push(msg);
            break;
        }
        true_msgs.push(msg);
    }
    if any_ok && all_ok {
        Ok((true, join(&true_msgs, "; ")))
    } else {
        Ok((false, join(&false_msgs, "; ")))
    }
}

fn join(msgs: &[String], sep: &str) -> String {
    msgs.iter()
        .filter(|m| !m.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(sep)
}

fn one(cond: &Value, ctx: &Value) -> Result<(bool, String), String> {
    let key = vars::substitute(cond.get("key").unwrap_or(&Value::Null), ctx)
        .map_err(|e| format!("failed to substitute variables in condition key: {e}"))?;
    let value = vars::substitute(cond.get("value").unwrap_or(&Value::Null), ctx)
        .map_err(|e| format!("failed to substitute variables in condition value: {e}"))?;
    let op = cond.get("operator").and_then(Value::as_str).unwrap_or("");
    let ok = conditions::evaluate(op, &key, &value)?;
    let msg = cond
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    Ok((ok, msg))
}

/// The JSON context of a request: `request.*`, `images`, service account names.
pub fn context_for(
    resource: &Value,
    operation: &str,
    user_info: &Value,
    namespace: &str,
    extra: Option<&Map<String, Value>>,
) -> Value {
    let mut request = Map::new();
    // The request shapes of the Kyverno CLI (`AdmissionRequestShape`): an UPDATE of a
    // resource to itself, a DELETE of it.
    let (object, old) = match operation {
        "DELETE" => (Value::Null, resource.clone()),
        "UPDATE" => (resource.clone(), resource.clone()),
        _ => (resource.clone(), Value::Null),
    };
    request.insert("object".into(), object);
    request.insert("oldObject".into(), old);
    request.insert("operation".into(), Value::String(operation.into()));
    // Without request information (a scan, a test without `userinfo`) there is no
    // `request.userInfo`, as in Kyverno's background processing.
    if !user_info.is_null() {
        request.insert("userInfo".into(), user_info.clone());
    }
    request.insert("namespace".into(), Value::String(namespace.into()));
    let mut ctx = Map::new();
    ctx.insert("request".into(), Value::Object(request));
    if let Some(images) = super::images::context(resource) {
        ctx.insert("images".into(), images);
    }
    let username = user_info
        .get("username")
        .and_then(Value::as_str)
        .unwrap_or("");
    if let Some(rest) = username.strip_prefix("system:serviceaccount:") {
        if let Some((ns, name)) = rest.split_once(':') {
            ctx.insert("serviceAccountName".into(), Value::String(name.into()));
            ctx.insert("serviceAccountNamespace".into(), Value::String(ns.into()));
        }
    }
    let mut ctx = Value::Object(ctx);
    if let Some(extra) = extra {
        set_values(&mut ctx, extra);
    }
    ctx
}

/// Sets dotted paths (`request.operation`, `configmap.data.key`) in the context.
pub fn set_values(ctx: &mut Value, values: &Map<String, Value>) {
    if let Some(m) = ctx.as_object_mut() {
        for (k, v) in values {
            set_path(m, k, v.clone());
        }
    }
}

/// Sets `a.b.c` in the context (values-file variables such as `request.operation`).
fn set_path(ctx: &mut Map<String, Value>, path: &str, value: Value) {
    let mut parts = path.split('.').peekable();
    let mut cur = ctx;
    while let Some(p) = parts.next() {
        if parts.peek().is_none() {
            cur.insert(p.to_string(), value);
            return;
        }
        let next = cur
            .entry(p.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !next.is_object() {
            *next = Value::Object(Map::new());
        }
        let Some(m) = next.as_object_mut() else {
            return;
        };
        cur = m;
    }
}
