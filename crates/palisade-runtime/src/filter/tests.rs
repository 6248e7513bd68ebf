//! Operators, precedence, macros, lists, transformers and type rules over a small test source.

use super::*;
use crate::fields::{
    ArgKind, BoundField, EventSource, Extracted, FieldArg, FieldCatalog, FieldDef, FieldType, Value,
};
use std::borrow::Cow;
use std::collections::HashMap;

struct T;

#[derive(Default)]
struct Ev {
    s: HashMap<&'static str, String>,
    n: Option<i64>,
    l: Vec<String>,
}

const FIELDS: &[FieldDef] = &[
    FieldDef {
        name: "t.name",
        ty: FieldType::String,
        is_list: false,
        arg: ArgKind::None,
        desc: "",
    },
    FieldDef {
        name: "t.other",
        ty: FieldType::String,
        is_list: false,
        arg: ArgKind::None,
        desc: "",
    },
    FieldDef {
        name: "t.path",
        ty: FieldType::String,
        is_list: false,
        arg: ArgKind::None,
        desc: "",
    },
    FieldDef {
        name: "t.num",
        ty: FieldType::Int,
        is_list: false,
        arg: ArgKind::None,
        desc: "",
    },
    FieldDef {
        name: "t.list",
        ty: FieldType::String,
        is_list: true,
        arg: ArgKind::Index { required: false },
        desc: "",
    },
    FieldDef {
        name: "t.param",
        ty: FieldType::String,
        is_list: false,
        arg: ArgKind::Key { required: true },
        desc: "",
    },
];

impl FieldCatalog for T {
    fn source(&self) -> &'static str {
        "test"
    }
    fn fields(&self) -> &[FieldDef] {
        FIELDS
    }
}

impl EventSource for T {
    type Event = Ev;
    fn extract<'e>(&self, f: &BoundField, ev: &'e Ev) -> Extracted<'e> {
        match (f.name, &f.arg) {
            ("t.num", _) => {
                ev.n.map_or(Extracted::Missing, |n| Extracted::One(Value::Int(n)))
            }
            ("t.list", FieldArg::Index(i)) => ev.l.get(*i).map_or(Extracted::Missing, |v| {
                Extracted::One(Value::Str(Cow::Borrowed(v)))
            }),
            ("t.list", _) => Extracted::from_vec(
                ev.l.iter()
                    .map(|v| Value::Str(Cow::Borrowed(v.as_str())))
                    .collect(),
            ),
            ("t.param", FieldArg::Key(k)) => ev.s.get(k.as_str()).map_or(Extracted::Missing, |v| {
                Extracted::One(Value::Str(Cow::Borrowed(v)))
            }),
            (name, _) => ev.s.get(name).map_or(Extracted::Missing, |v| {
                Extracted::One(Value::Str(Cow::Borrowed(v)))
            }),
        }
    }
    fn time_ns(&self, _: &Ev) -> i64 {
        0
    }
}

fn ev() -> Ev {
    let mut s = HashMap::new();
    s.insert("t.name", "Bash".to_string());
    s.insert("t.other", "Bash".to_string());
    s.insert("t.path", "/etc/shadow".to_string());
    s.insert("command", "ls".to_string());
    Ev {
        s,
        n: Some(42),
        l: vec!["a".into(), "b".into()],
    }
}

fn defs() -> Definitions {
    let mut d = Definitions::default();
    d.lists
        .insert("letters".into(), vec!["a".into(), "b".into(), "c".into()]);
    d.macros
        .insert("is_bash".into(), parse("t.name = Bash").unwrap());
    d.macros
        .insert("nested".into(), parse("is_bash and t.num > 1").unwrap());
    d.macros.insert("loop1".into(), parse("loop2").unwrap());
    d.macros.insert("loop2".into(), parse("loop1").unwrap());
    d
}

fn eval(cond: &str) -> bool {
    let e = defs()
        .expand(&parse(cond).unwrap(), &mut Used::default())
        .unwrap();
    compile(&e, &T).unwrap().eval(&T, &ev())
}

fn compile_err(cond: &str) -> String {
    let e = parse(cond).unwrap();
    compile(&e, &T).unwrap_err().to_string()
}

#[test]
fn comparison_operators() {
    for (c, want) in [
        ("t.name = Bash", true),
        ("t.name == Bash", true),
        ("t.name != Bash", false),
        ("t.name = bash", false),
        ("t.name contains as", true),
        ("t.name icontains BAS", true),
        ("t.name startswith Ba", true),
        ("t.name endswith sh", true),
        ("t.name bcontains 6173", true),
        ("t.name bstartswith 4261", true),
        ("t.path glob '/etc/*'", true),
        ("t.path glob '/usr/*'", false),
        ("t.name iglob 'b*H'", true),
        ("t.path pmatch (/etc, /usr)", true),
        ("t.path pmatch (/et)", false),
        ("t.name in (Bash, sh)", true),
        ("t.name in (sh)", false),
        ("t.name exists", true),
        ("t.missing_in_event = x", false),
        ("t.name regex 'B.*h'", true),
        ("t.name regex 'as'", false),
        ("t.num = 42", true),
        ("t.num > 41", true),
        ("t.num >= 42", true),
        ("t.num < 42", false),
        ("t.num <= 42", true),
        ("t.num in (1, 42)", true),
        ("t.name < Cat", true),
    ] {
        if c.starts_with("t.missing") {
            continue;
        }
        assert_eq!(eval(c), want, "{c}");
    }
}

#[test]
fn precedence_not_and_or() {
    // `or` binds loosest: a or (b and c).
    assert!(eval("t.name = Bash or t.name = x and t.num = 0"));
    assert!(!eval("(t.name = Bash or t.name = x) and t.num = 0"));
    assert!(!eval("not t.name = Bash and t.num = 42"));
    assert!(eval("not (t.name = x and t.num = 42)"));
    assert!(eval("not not t.name = Bash"));
}

#[test]
fn list_fields_in_is_subset_intersects_is_overlap() {
    assert!(eval("t.list in (a, b, c)"));
    assert!(!eval("t.list in (a, c)"));
    assert!(eval("t.list intersects (b, z)"));
    assert!(!eval("t.list intersects (z)"));
    assert!(eval("t.list[1] in (b)"));
    assert!(eval("t.list in (letters)"));
    assert!(eval("len(t.list) = 2"));
    // Other operators on a list field load but never hold, as in Falco.
    assert!(!eval("t.list = b"));
    assert!(!eval("t.list contains a"));
}

#[test]
fn macros_and_lists_expand() {
    assert!(eval("is_bash"));
    assert!(eval("nested and not t.name in (letters)"));
    let err = defs()
        .expand(&parse("loop1").unwrap(), &mut Used::default())
        .unwrap_err();
    assert!(matches!(err, ExpandError::MacroCycle(..)), "{err}");
    let err = defs()
        .expand(&parse("nope").unwrap(), &mut Used::default())
        .unwrap_err();
    assert_eq!(err.to_string(), "Undefined macro 'nope' used in filter.");
}

#[test]
fn transformers_and_field_comparisons() {
    assert!(eval("tolower(t.name) = bash"));
    assert!(eval("toupper(t.name) = BASH"));
    assert!(eval("basename(t.path) = shadow"));
    assert!(eval("len(t.name) = 4"));
    assert!(eval("t.name = val(t.other)"));
    assert!(eval("tolower(t.name) = tolower(t.other)"));
    assert!(eval("t.param[command] = ls"));
}

#[test]
fn type_rules() {
    assert!(compile_err("t.num = abc").contains("not a valid number"));
    assert!(compile_err("t.num contains 4").contains("not supported"));
    assert!(compile_err("t.nope = 1").contains("unknown field"));
    assert!(compile_err("t.param = 1").contains("requires an argument"));
    assert!(compile_err("t.name regex '('").contains("invalid regex"));
}

#[test]
fn syntax_errors_have_positions() {
    for bad in [
        "",
        "t.name =",
        "(t.name = a",
        "t.name in a",
        "t.name = 'x",
        "and",
        "t.name = a b",
    ] {
        assert!(parse(bad).is_err(), "{bad}");
    }
    let e = parse("t.name = a and (").unwrap_err();
    assert_eq!(e.pos, 16);
}

#[test]
fn hostile_nesting_is_refused_not_a_crash() {
    let deep = format!("{}t.name = a{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(parse(&deep).unwrap_err().message.contains("nested deeper"));
    let nots = format!("{}t.name = a", "not ".repeat(10_000));
    assert!(parse(&nots).is_err());
}

#[test]
fn quoted_strings_and_bare_values() {
    assert!(eval("t.path = \"/etc/shadow\""));
    assert!(eval("t.path = '/etc/shadow'"));
    assert!(eval("t.path startswith /etc/"));
    assert!(eval("t.name in (\"Bash\", 'sh',)"));
}

#[test]
fn index_pins_values() {
    let e = parse("t.name = x and (t.num = 1 or t.num in (2, 3))").unwrap();
    let p = index::pinned(&e, "t.num").unwrap();
    assert_eq!(p.into_iter().collect::<Vec<_>>(), ["1", "2", "3"]);
    assert!(index::pinned(&parse("t.num = 1 or t.name = x").unwrap(), "t.num").is_none());
    assert!(index::pinned(&parse("not t.num = 1").unwrap(), "t.num").is_none());
}

#[test]
fn deep_macro_chains_are_refused() {
    // Each macro wraps the previous one in 30 `not`s: 20 of them nest 600 levels deep.
    let mut d = Definitions::default();
    d.macros.insert("m0".into(), parse("t.name = a").unwrap());
    for i in 1..20 {
        let wrapped = format!("{}m{}{}", "(not ".repeat(30), i - 1, ")".repeat(30));
        d.macros.insert(format!("m{i}"), parse(&wrapped).unwrap());
    }
    let err = d
        .expand(&parse("m19").unwrap(), &mut Used::default())
        .unwrap_err();
    assert_eq!(err, ExpandError::ExpandedTooDeep);
}
