//! The syntax tree of a Falco condition, before macros, lists and fields are resolved.

/// Comparison operators of Falco's filter language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
    IContains,
    BContains,
    StartsWith,
    BStartsWith,
    EndsWith,
    Glob,
    IGlob,
    PMatch,
    In,
    Intersects,
    Exists,
    Regex,
}

impl Op {
    /// Word operators, longest first where one is a prefix of another.
    pub const WORDS: [(&'static str, Op); 13] = [
        ("bstartswith", Op::BStartsWith),
        ("startswith", Op::StartsWith),
        ("icontains", Op::IContains),
        ("bcontains", Op::BContains),
        ("contains", Op::Contains),
        ("endswith", Op::EndsWith),
        ("intersects", Op::Intersects),
        ("in", Op::In),
        ("iglob", Op::IGlob),
        ("glob", Op::Glob),
        ("pmatch", Op::PMatch),
        ("exists", Op::Exists),
        ("regex", Op::Regex),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Contains => "contains",
            Op::IContains => "icontains",
            Op::BContains => "bcontains",
            Op::StartsWith => "startswith",
            Op::BStartsWith => "bstartswith",
            Op::EndsWith => "endswith",
            Op::Glob => "glob",
            Op::IGlob => "iglob",
            Op::PMatch => "pmatch",
            Op::In => "in",
            Op::Intersects => "intersects",
            Op::Exists => "exists",
            Op::Regex => "regex",
        }
    }

    /// Parses an operator as written in exception `comps`.
    pub fn parse(s: &str) -> Option<Op> {
        match s {
            "=" | "==" => Some(Op::Eq),
            "!=" => Some(Op::Ne),
            "<" => Some(Op::Lt),
            "<=" => Some(Op::Le),
            ">" => Some(Op::Gt),
            ">=" => Some(Op::Ge),
            _ => Op::WORDS.iter().find(|(w, _)| *w == s).map(|(_, op)| *op),
        }
    }

    /// Operators whose right-hand side is a list.
    pub fn takes_list(self) -> bool {
        matches!(self, Op::In | Op::Intersects | Op::PMatch)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transformer {
    ToLower,
    ToUpper,
    B64,
    Basename,
    Len,
}

impl Transformer {
    pub fn parse(s: &str) -> Option<Transformer> {
        match s {
            "tolower" => Some(Transformer::ToLower),
            "toupper" => Some(Transformer::ToUpper),
            "b64" => Some(Transformer::B64),
            "basename" => Some(Transformer::Basename),
            "len" => Some(Transformer::Len),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Transformer::ToLower => "tolower",
            Transformer::ToUpper => "toupper",
            Transformer::B64 => "b64",
            Transformer::Basename => "basename",
            Transformer::Len => "len",
        }
    }
}

/// A field reference, optionally wrapped in transformers: `tolower(proc.name)`.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldExpr {
    Field {
        name: String,
        arg: Option<String>,
        /// Byte offset in the condition, for messages.
        pos: usize,
    },
    Transform(Transformer, Box<FieldExpr>),
}

impl FieldExpr {
    /// The underlying field (innermost).
    pub fn field(&self) -> (&str, Option<&str>, usize) {
        match self {
            FieldExpr::Field { name, arg, pos } => (name, arg.as_deref(), *pos),
            FieldExpr::Transform(_, inner) => inner.field(),
        }
    }

    /// The text Falco would print: `tolower(proc.name)`, `ka.uri.param[command]`.
    pub fn text(&self) -> String {
        match self {
            FieldExpr::Field {
                name, arg: None, ..
            } => name.clone(),
            FieldExpr::Field {
                name, arg: Some(a), ..
            } => format!("{name}[{a}]"),
            FieldExpr::Transform(t, inner) => format!("{}({})", t.as_str(), inner.text()),
        }
    }
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Rhs {
    /// `exists`.
    None,
    Value(String),
    /// `(a, b, c)`: items may name lists, expanded at load time.
    List(Vec<String>),
    /// `val(proc.pname)`, or another field expression.
    Field(FieldExpr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// A bare identifier: a macro, resolved at load time.
    Macro {
        name: String,
        pos: usize,
    },
    Cmp {
        lhs: FieldExpr,
        op: Op,
        rhs: Rhs,
    },
    /// Left after a macro resolves to a constant (for example an empty exception set).
    Const(bool),
}

impl Expr {
    /// Visits every node, outermost first.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        f(self);
        match self {
            Expr::And(v) | Expr::Or(v) => v.iter().for_each(|e| e.walk(f)),
            Expr::Not(e) => e.walk(f),
            _ => {}
        }
    }
}
