//! The CEL environment of ValidatingAdmissionPolicies: which functions exist, the ones added
//! here (`dyn`, optional field access), and Kubernetes objects as CEL values.

use kube_cel::cel::objects::{Key, Map, OptionalValue};
use kube_cel::cel::{self, Context, ExecutionError, Value};
use kube_cel::KubeCelExt;
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::Arc;

/// Deepest JSON converted to a CEL value.
const MAX_JSON_DEPTH: usize = 256;

/// Functions the `cel` crate and `kube-cel` register (and `dyn`, added here).
pub const KNOWN: &[&str] = &[
    "add",
    "asApproximateFloat",
    "asInteger",
    "base64.decode",
    "base64.encode",
    "bytes",
    "charAt",
    "cidr",
    "compareTo",
    "contains",
    "containsCIDR",
    "containsIP",
    "distinct",
    "double",
    "duration",
    "dyn",
    "endsWith",
    "family",
    "find",
    "findAll",
    "first",
    "flatten",
    "format",
    "format.byte",
    "format.date",
    "format.datetime",
    "format.dns1035Label",
    "format.dns1035LabelPrefix",
    "format.dns1123Label",
    "format.dns1123LabelPrefix",
    "format.dns1123Subdomain",
    "format.dns1123SubdomainPrefix",
    "format.labelValue",
    "format.named",
    "format.qualifiedName",
    "format.uri",
    "format.uuid",
    "getDate",
    "getDayOfMonth",
    "getDayOfWeek",
    "getDayOfYear",
    "getEscapedPath",
    "getFullYear",
    "getHost",
    "getHostname",
    "getHours",
    "getMilliseconds",
    "getMinutes",
    "getMonth",
    "getPort",
    "getQuery",
    "getScheme",
    "getSeconds",
    "hasValue",
    "indexOf",
    "int",
    "ip",
    "ip.isCanonical",
    "isCIDR",
    "isCIDRv4",
    "isCIDRv6",
    "isGlobalUnicast",
    "isGreaterThan",
    "isIP",
    "isIPv4",
    "isIPv6",
    "isInteger",
    "isLessThan",
    "isLinkLocalMulticast",
    "isLinkLocalUnicast",
    "isLoopback",
    "isQuantity",
    "isSemver",
    "isSorted",
    "isURL",
    "isUnspecified",
    "join",
    "jsonpatch.escapeKey",
    "last",
    "lastIndexOf",
    "lists.range",
    "lowerAscii",
    "major",
    "masked",
    "matches",
    "math.abs",
    "math.bitAnd",
    "math.bitNot",
    "math.bitOr",
    "math.bitShiftLeft",
    "math.bitShiftRight",
    "math.bitXor",
    "math.ceil",
    "math.floor",
    "math.greatest",
    "math.isFinite",
    "math.isInf",
    "math.isNaN",
    "math.least",
    "math.round",
    "math.sign",
    "math.sqrt",
    "math.trunc",
    "max",
    "min",
    "minor",
    "optional.none",
    "optional.of",
    "optional.ofNonZeroValue",
    "or",
    "orValue",
    "patch",
    "prefixLength",
    "quantity",
    "replace",
    "reverse",
    "semver",
    "sets.contains",
    "sets.equivalent",
    "sets.intersects",
    "sign",
    "size",
    "slice",
    "sort",
    "split",
    "startsWith",
    "string",
    "strings.quote",
    "sub",
    "substring",
    "sum",
    "timestamp",
    "trim",
    "uint",
    "upperAscii",
    "url",
    "validate",
    "value",
];

/// Functions of Kubernetes' CEL environment that the `cel` crate does not have: they compile,
/// and an evaluation that reaches them is an error naming them.
pub const KUBERNETES_ONLY: &[&str] = &[
    "type",
    "bool",
    "sortBy",
    "transformList",
    "transformMap",
    "transformMapEntry",
    "optMap",
    "optFlatMap",
    "getTimezone",
    "isNameValid",
    // the authorizer library (`authorizer` itself is never bound offline)
    "group",
    "resource",
    "subresource",
    "namespace",
    "name",
    "check",
    "allowed",
    "reason",
    "errored",
    "error",
    "path",
    "serviceAccount",
    "fieldSelector",
    "labelSelector",
];
pub const OPT_SELECT: &str = "#optional_select";
pub const OPT_INDEX: &str = "#optional_index";

/// A context with the Kubernetes libraries, `dyn()` and the optional field/index access.
pub fn context() -> Context<'static> {
    let mut ctx = Context::default().with_all();
    // CEL's `dyn()` only tells the type checker to look away; the crate lacks it.
    ctx.add_function::<(Value,), _>("dyn", dyn_identity);
    ctx.add_function::<(Value, Value), _>(OPT_SELECT, optional_access);
    ctx.add_function::<(Value, Value), _>(OPT_INDEX, optional_access);
    ctx.add_function("orValue", or_value);
    ctx
}

/// `x.orValue(d)`: the optional's value or `d`. On a value that is not an optional (a field
/// reached without `?`) cel-go, as Kubernetes and Kyverno run it, gives the value itself.
fn or_value(
    cel::extractors::This(this): cel::extractors::This<Value>,
    default: Value,
) -> cel::ResolveResult {
    if let Value::Opaque(_) = &this {
        if let Ok(opt) = <&OptionalValue>::try_from(&this) {
            return Ok(opt.value().cloned().unwrap_or(default));
        }
    }
    Ok(this)
}

/// `x.?f` / `x[?k]`: `optional.of(x.f)` when `x` (or the value of optional `x`) has `f`,
/// else `optional.none()`; null has nothing.
fn optional_access(operand: Value, key: Value) -> cel::ResolveResult {
    let none = || Ok(Value::Opaque(Arc::new(OptionalValue::none())));
    let inner = match &operand {
        Value::Opaque(_) => match <&OptionalValue>::try_from(&operand)?.value() {
            Some(v) => v.clone(),
            None => return none(),
        },
        v => v.clone(),
    };
    let found = match (&inner, &key) {
        (Value::Map(m), k) => {
            let k = match k {
                Value::String(s) => Key::String(s.clone()),
                Value::Int(i) => Key::Int(*i),
                Value::UInt(u) => Key::Uint(*u),
                Value::Bool(b) => Key::Bool(*b),
                _ => return Err(ExecutionError::NoSuchOverload),
            };
            m.map.get(&k).cloned()
        }
        (Value::List(l), Value::Int(i)) => usize::try_from(*i).ok().and_then(|i| l.get(i).cloned()),
        (Value::List(l), Value::UInt(i)) => {
            usize::try_from(*i).ok().and_then(|i| l.get(i).cloned())
        }
        (Value::Null, _) => None,
        _ => return Err(ExecutionError::NoSuchOverload),
    };
    match found {
        Some(v) => Ok(Value::Opaque(Arc::new(OptionalValue::of(v)))),
        None => none(),
    }
}

fn dyn_identity(v: Value) -> cel::ResolveResult {
    Ok(v)
}

/// JSON as CEL sees Kubernetes objects: integers are `int`, not `uint`.
pub fn to_cel(v: &Json) -> Value {
    to_cel_at(v, 0)
}

fn to_cel_at(v: &Json, depth: usize) -> Value {
    if depth > MAX_JSON_DEPTH {
        return Value::Null;
    }
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Value::Int(i),
            (None, Some(u)) => Value::UInt(u),
            _ => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::String(Arc::new(s.clone())),
        Json::Array(a) => Value::List(Arc::new(
            a.iter().map(|x| to_cel_at(x, depth + 1)).collect(),
        )),
        Json::Object(o) => {
            let map: HashMap<Key, Value> = o
                .iter()
                .map(|(k, x)| (Key::String(Arc::new(k.clone())), to_cel_at(x, depth + 1)))
                .collect();
            Value::Map(Map { map: Arc::new(map) })
        }
    }
}

/// The CEL type name of a value, for messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::List(_) => "list",
        Value::Map(_) => "map",
        Value::Function(..) => "function",
        Value::Int(_) => "int",
        Value::UInt(_) => "uint",
        Value::Float(_) => "double",
        Value::String(_) => "string",
        Value::Bytes(_) => "bytes",
        Value::Bool(_) => "bool",
        Value::Null => "null_type",
        _ => "dyn",
    }
}
