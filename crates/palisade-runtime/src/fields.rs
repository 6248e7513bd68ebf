//! The contract between the rules engine and an event source: which fields a source offers
//! (names, types, arguments) and how a bound field is read from one event. The k8s audit
//! source implements it here; the syscall source (issue 20) plugs in the same way.

use std::borrow::Cow;

/// Falco's field types, reduced to the distinctions its type rules make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// `charbuf`, `fspath`, `fsrelpath`: every string operator applies.
    String,
    /// Signed and unsigned integers, times, ports, pids, file descriptors.
    Int,
    Bool,
    /// `ipaddr`: compared for equality, against addresses or `a.b.c.d/n` networks.
    Ip,
    /// `ipnet`.
    IpNet,
    /// `bytebuf`: `bcontains`/`bstartswith` and equality.
    Bytes,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Int => "number",
            FieldType::Bool => "bool",
            FieldType::Ip => "ipaddr",
            FieldType::IpNet => "ipnet",
            FieldType::Bytes => "bytebuf",
        }
    }
}

/// What may follow a field name in brackets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    None,
    /// `ka.req.pod.containers.image[0]`, `proc.aname[2]`: a number, optional unless `required`.
    Index {
        required: bool,
    },
    /// `ka.uri.param[command]`: a free-form key.
    Key {
        required: bool,
    },
    /// `jevt.value[/requestObject/spec]`: an RFC 6901 JSON pointer.
    Pointer,
}

/// One field a source defines.
#[derive(Debug, Clone, Copy)]
pub struct FieldDef {
    pub name: &'static str,
    pub ty: FieldType,
    /// Plugin list fields: `in` means subset, `intersects` means overlap; other operators
    /// never hold (Falco throws for them at evaluation). Outputs render them as `(a,b)`.
    pub is_list: bool,
    pub arg: ArgKind,
    pub desc: &'static str,
}

/// A field argument after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldArg {
    None,
    Index(usize),
    Key(String),
    /// Unescaped pointer segments (`~1` → `/`, `~0` → `~`); empty for the whole document.
    Pointer(Vec<String>),
}

/// A field resolved against a source, ready for extraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundField {
    /// The source's own index into its field table.
    pub id: u16,
    pub name: &'static str,
    pub arg: FieldArg,
    pub ty: FieldType,
    pub is_list: bool,
    /// The field as written in the rule, for outputs and messages.
    pub text: String,
}

/// One extracted value. Strings borrow from the event where they can.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'e> {
    Str(Cow<'e, str>),
    Int(i64),
    Bool(bool),
}

impl Value<'_> {
    /// The value as Falco prints it in outputs.
    pub fn render(&self) -> Cow<'_, str> {
        match self {
            Value::Str(s) => Cow::Borrowed(s.as_ref()),
            Value::Int(i) => Cow::Owned(i.to_string()),
            Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
            Value::Int(i) => Value::Int(i),
            Value::Bool(b) => Value::Bool(b),
        }
    }
}

/// What a field yields on one event: nothing (the field does not apply; every comparison
/// but `not` is false), one value, or several for list fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Extracted<'e> {
    #[default]
    Missing,
    One(Value<'e>),
    Many(Vec<Value<'e>>),
}

impl<'e> Extracted<'e> {
    pub fn is_missing(&self) -> bool {
        matches!(self, Extracted::Missing)
    }

    pub fn values(&self) -> &[Value<'e>] {
        match self {
            Extracted::Missing => &[],
            Extracted::One(v) => std::slice::from_ref(v),
            Extracted::Many(v) => v,
        }
    }

    /// Empty lists count as missing: Falco's plugin extraction yields no value for them.
    pub fn from_vec(mut v: Vec<Value<'e>>) -> Self {
        match v.len() {
            0 => Extracted::Missing,
            1 => v.pop().map_or(Extracted::Missing, Extracted::One),
            _ => Extracted::Many(v),
        }
    }

    /// Falco's rendering of a list field: `(a,b)`, `(a)` for one value, `<NA>` for none.
    pub fn render_list(&self) -> String {
        match self {
            Extracted::Missing => "<NA>".to_string(),
            _ => {
                let parts: Vec<Cow<'_, str>> = self.values().iter().map(Value::render).collect();
                format!("({})", parts.join(","))
            }
        }
    }

    /// Falco's rendering: a scalar as is, several values as `(a,b)`, nothing as `<NA>`.
    pub fn render(&self) -> String {
        match self {
            Extracted::Missing => "<NA>".to_string(),
            Extracted::One(v) => v.render().into_owned(),
            Extracted::Many(vs) => {
                let parts: Vec<Cow<'_, str>> = vs.iter().map(Value::render).collect();
                format!("({})", parts.join(","))
            }
        }
    }
}

/// The fields of one event source, without the ability to read events: enough to check
/// and compile rules (`rules check` works for sources Palisade cannot yet evaluate).
pub trait FieldCatalog: Send + Sync {
    /// The `source:` names rules use for this source (`k8s_audit`, `syscall`).
    fn source(&self) -> &'static str;
    fn fields(&self) -> &[FieldDef];

    fn field(&self, name: &str) -> Option<(u16, &FieldDef)> {
        self.fields()
            .iter()
            .enumerate()
            .find(|(_, f)| f.name == name)
            .and_then(|(i, f)| u16::try_from(i).ok().map(|i| (i, f)))
    }

    /// The field an event's index key comes from (`ka.verb`, `evt.type`): rules whose
    /// condition pins that field are only tested on events with a matching key.
    fn index_field(&self) -> Option<&'static str> {
        None
    }

    /// A second field refining the index within one key (`ka.target.resource`).
    fn sub_index_field(&self) -> Option<&'static str> {
        None
    }

    /// Resolves `name[arg]` against this catalog, checking the argument's form.
    fn bind(&self, name: &str, arg: Option<&str>, text: &str) -> Result<BoundField, String> {
        default_bind(self, name, arg, text)
    }
}

/// [`FieldCatalog::bind`]'s checks, for catalogs that map some names first.
pub fn default_bind<C: FieldCatalog + ?Sized>(
    cat: &C,
    name: &str,
    arg: Option<&str>,
    text: &str,
) -> Result<BoundField, String> {
    let (id, def) = cat
        .field(name)
        .ok_or_else(|| format!("unknown field '{name}' for source {}", cat.source()))?;
    let arg = match (def.arg, arg) {
        (ArgKind::None, None) => FieldArg::None,
        (ArgKind::None, Some(_)) => {
            return Err(format!("field '{name}' does not take an argument"))
        }
        (ArgKind::Index { required: true }, None)
        | (ArgKind::Key { required: true }, None)
        | (ArgKind::Pointer, None) => return Err(format!("field '{name}' requires an argument")),
        (ArgKind::Index { .. }, None) | (ArgKind::Key { .. }, None) => FieldArg::None,
        (ArgKind::Index { .. }, Some(a)) => FieldArg::Index(
            a.trim()
                .parse()
                .map_err(|_| format!("field '{name}' needs a numeric index, got '{a}'"))?,
        ),
        (ArgKind::Key { .. }, Some(a)) => FieldArg::Key(a.to_string()),
        (ArgKind::Pointer, Some(a)) => FieldArg::Pointer(parse_pointer(a)?),
    };
    Ok(BoundField {
        id,
        name: def.name,
        arg,
        ty: def.ty,
        is_list: def.is_list,
        text: text.to_string(),
    })
}

/// An event source: a catalog that can also read its events.
pub trait EventSource: FieldCatalog {
    type Event;

    fn extract<'e>(&self, field: &BoundField, event: &'e Self::Event) -> Extracted<'e>;

    /// The value of [`FieldCatalog::index_field`] for this event.
    fn index_key<'e>(&self, _event: &'e Self::Event) -> Option<Cow<'e, str>> {
        None
    }

    /// The value of [`FieldCatalog::sub_index_field`] for this event.
    fn sub_index_key<'e>(&self, _event: &'e Self::Event) -> Option<Cow<'e, str>> {
        None
    }

    /// Event time, nanoseconds since the Unix epoch (0 when unknown).
    fn time_ns(&self, event: &Self::Event) -> i64;

    /// The object the event concerns, for findings' locations.
    fn object(&self, _event: &Self::Event) -> Option<palisade_core::ObjectRef> {
        None
    }
}

/// RFC 6901: `/a/b~1c` → `["a", "b/c"]`. Falco's json plugin also accepts a missing
/// leading slash.
pub fn parse_pointer(arg: &str) -> Result<Vec<String>, String> {
    let body = arg.strip_prefix('/').unwrap_or(arg);
    if body.is_empty() {
        return Ok(Vec::new());
    }
    Ok(body
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect())
}
