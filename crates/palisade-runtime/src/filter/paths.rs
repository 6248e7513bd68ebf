//! What a condition needs of an opened file's path, for a sensor that wants to drop opens no
//! rule can match before they leave the kernel. The answer is conservative: every path a rule
//! can match passes the returned tests; paths that pass may still match no rule.

use super::ast::{Expr, FieldExpr, Op, Rhs};

/// Which string a test reads. A sensor sees the path as the process passed it (`fd.nameraw`);
/// `fd.name` equals it when it is absolute and has no `//` and no `/.` in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathField {
    Name,
    NameRaw,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathTest {
    /// The whole path.
    Exact,
    Prefix,
    Suffix,
    Contains,
}

/// One test on one string of the path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PathAtom {
    pub field: PathField,
    pub test: PathTest,
    pub text: String,
}

/// `Any`: some path the analysis cannot bound can match. `Some(atoms)`: only paths passing
/// at least one atom can match (no atoms: none can).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathNeed {
    Any,
    Some(Vec<PathAtom>),
}

impl PathNeed {
    const NEVER: PathNeed = PathNeed::Some(Vec::new());

    /// Either need: the union of the tests.
    pub fn or(self, other: PathNeed) -> PathNeed {
        match (self, other) {
            (PathNeed::Some(mut a), PathNeed::Some(b)) => {
                a.extend(b);
                a.sort();
                a.dedup();
                PathNeed::Some(a)
            }
            _ => PathNeed::Any,
        }
    }

    /// How many paths are likely to pass, lower is narrower; used to pick one side of a
    /// conjunction (any side bounds it; the narrowest drops most).
    fn breadth(&self) -> usize {
        match self {
            PathNeed::Any => usize::MAX,
            PathNeed::Some(atoms) => atoms.iter().map(PathAtom::breadth).max().unwrap_or(0),
        }
    }
}

impl PathAtom {
    fn breadth(&self) -> usize {
        let len = self.text.len().min(40);
        match self.test {
            PathTest::Exact => 0,
            PathTest::Suffix | PathTest::Contains => 60 - len,
            PathTest::Prefix => 100 - len,
        }
    }
}

/// What `e` needs of the path of an event of type `evt_type` (`openat`), after macro and
/// list expansion.
pub fn path_need(e: &Expr, evt_type: &str) -> PathNeed {
    match e {
        Expr::Const(false) => PathNeed::NEVER,
        Expr::Const(true) | Expr::Not(_) | Expr::Macro { .. } => PathNeed::Any,
        Expr::Or(v) => v
            .iter()
            .map(|e| path_need(e, evt_type))
            .reduce(PathNeed::or)
            .unwrap_or(PathNeed::NEVER),
        Expr::And(v) => v
            .iter()
            .map(|e| path_need(e, evt_type))
            .min_by_key(PathNeed::breadth)
            .unwrap_or(PathNeed::Any),
        Expr::Cmp { lhs, op, rhs } => cmp(lhs, *op, rhs, evt_type),
    }
}

fn cmp(lhs: &FieldExpr, op: Op, rhs: &Rhs, evt_type: &str) -> PathNeed {
    let FieldExpr::Field {
        name, arg: None, ..
    } = lhs
    else {
        return PathNeed::Any;
    };
    let values: Vec<&str> = match rhs {
        Rhs::Value(v) => vec![v.as_str()],
        Rhs::List(items) => items.iter().map(String::as_str).collect(),
        Rhs::None | Rhs::Field(_) => return PathNeed::Any,
    };
    let single = matches!(rhs, Rhs::Value(_));
    if name == "evt.type" {
        return match op {
            Op::Eq if single => pinned_type(&values, evt_type),
            Op::In | Op::Intersects if !single => pinned_type(&values, evt_type),
            _ => PathNeed::Any,
        };
    }
    let field = match name.as_str() {
        "fd.name" | "fd.directory" | "fd.filename" => PathField::Name,
        "fd.nameraw" => PathField::NameRaw,
        _ => return PathNeed::Any,
    };
    let atom = |test, text: String| PathAtom { field, test, text };
    let atoms: Option<Vec<PathAtom>> = match (name.as_str(), op, single) {
        ("fd.name" | "fd.nameraw", Op::Eq, true) | ("fd.name" | "fd.nameraw", Op::In, false) => {
            Some(
                values
                    .iter()
                    .map(|v| atom(PathTest::Exact, v.to_string()))
                    .collect(),
            )
        }
        ("fd.name" | "fd.nameraw", Op::StartsWith, true) => {
            Some(vec![atom(PathTest::Prefix, values[0].to_string())])
        }
        ("fd.name" | "fd.nameraw", Op::EndsWith, true) => {
            Some(vec![atom(PathTest::Suffix, values[0].to_string())])
        }
        ("fd.name" | "fd.nameraw", Op::Contains, true) => {
            Some(vec![atom(PathTest::Contains, values[0].to_string())])
        }
        // `pmatch` holds for the path itself and everything below it.
        ("fd.name" | "fd.nameraw", Op::PMatch, false) => Some(
            values
                .iter()
                .map(|v| atom(PathTest::Prefix, v.to_string()))
                .collect(),
        ),
        ("fd.name" | "fd.nameraw", Op::Glob, true) => {
            glob(values[0]).map(|(t, s)| vec![atom(t, s)])
        }
        // The directory of the path: the path starts with it and a slash.
        ("fd.directory", Op::Eq, true) | ("fd.directory", Op::In, false) => Some(
            values
                .iter()
                .map(|d| atom(PathTest::Prefix, format!("{}/", d.trim_end_matches('/'))))
                .collect(),
        ),
        ("fd.directory", Op::StartsWith, true) => {
            Some(vec![atom(PathTest::Prefix, values[0].to_string())])
        }
        // The last component: the path ends with a slash and it.
        ("fd.filename", Op::Eq, true) | ("fd.filename", Op::In, false) => Some(
            values
                .iter()
                .map(|f| atom(PathTest::Suffix, format!("/{f}")))
                .collect(),
        ),
        ("fd.filename", Op::EndsWith, true) => {
            Some(vec![atom(PathTest::Suffix, values[0].to_string())])
        }
        ("fd.filename", Op::StartsWith, true) => {
            Some(vec![atom(PathTest::Contains, format!("/{}", values[0]))])
        }
        ("fd.filename", Op::Contains, true) => {
            Some(vec![atom(PathTest::Contains, values[0].to_string())])
        }
        _ => None,
    };
    match atoms {
        // An empty test string holds for every path.
        Some(a) if !a.iter().any(|a| a.text.is_empty()) => PathNeed::Some(a),
        _ => PathNeed::Any,
    }
}

fn pinned_type(values: &[&str], evt_type: &str) -> PathNeed {
    if values.contains(&evt_type) {
        PathNeed::Any
    } else {
        PathNeed::NEVER
    }
}

/// A glob's literal start (or, without one, its literal end); a glob with no wildcard is an
/// exact path. A `\` escape ends the literal part, to stay on the safe side.
fn glob(pattern: &str) -> Option<(PathTest, String)> {
    let special = |c: char| matches!(c, '*' | '?' | '[' | '\\');
    let Some(first) = pattern.find(special) else {
        return Some((PathTest::Exact, pattern.to_string()));
    };
    if first > 0 {
        return Some((PathTest::Prefix, pattern[..first].to_string()));
    }
    let last = pattern.rfind(special)?;
    let tail = &pattern[last + 1..];
    (!tail.is_empty()).then(|| (PathTest::Suffix, tail.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::parse;

    fn need(cond: &str, ty: &str) -> PathNeed {
        path_need(&parse(cond).expect("parses"), ty)
    }

    fn atoms(cond: &str) -> Vec<(PathField, PathTest, String)> {
        match need(cond, "openat") {
            PathNeed::Any => panic!("{cond}: no bound"),
            PathNeed::Some(a) => a.into_iter().map(|a| (a.field, a.test, a.text)).collect(),
        }
    }

    use PathField::*;
    use PathTest::*;

    #[test]
    fn fields_and_operators_become_tests() {
        assert_eq!(
            atoms("fd.name in (/etc/shadow, /etc/sudoers)"),
            [
                (Name, Exact, "/etc/shadow".into()),
                (Name, Exact, "/etc/sudoers".into())
            ]
        );
        assert_eq!(
            atoms("fd.directory in (/etc/pam.d, /var/log/)"),
            [
                (Name, Prefix, "/etc/pam.d/".into()),
                (Name, Prefix, "/var/log/".into())
            ]
        );
        assert_eq!(
            atoms("fd.filename = syslog"),
            [(Name, Suffix, "/syslog".into())]
        );
        assert_eq!(
            atoms("fd.nameraw contains '../'"),
            [(NameRaw, Contains, "../".into())]
        );
        assert_eq!(
            atoms("fd.name glob '/home/*/.ssh/*'"),
            [(Name, Prefix, "/home/".into())]
        );
        assert_eq!(
            atoms("fd.name glob '*release_agent'"),
            [(Name, Suffix, "release_agent".into())]
        );
        assert_eq!(
            atoms("fd.name pmatch (/proc)"),
            [(Name, Prefix, "/proc".into())]
        );
    }

    #[test]
    fn what_cannot_be_bounded_is_any() {
        for cond in [
            "proc.name = cat",
            "not fd.name = /etc/shadow",
            "fd.name != /etc/shadow",
            "fd.name icontains shadow",
            "fd.name regex '.*shadow'",
            "fd.name glob '*../*'",
            "fd.name startswith ''",
            "tolower(fd.name) = /etc/shadow",
            "fd.name = val(fd.nameraw)",
            "fd.name = /etc/shadow or proc.name = cat",
        ] {
            assert_eq!(need(cond, "openat"), PathNeed::Any, "{cond}");
        }
    }

    #[test]
    fn a_conjunction_takes_its_narrowest_side() {
        // Any side bounds a conjunction; the traversal test drops far more than `/etc/`.
        let cond = "evt.type = openat and (fd.name startswith /etc/ or fd.name contains id_rsa) \
                    and fd.nameraw contains '../' and not proc.pname in (sh, bash)";
        assert_eq!(atoms(cond), [(NameRaw, Contains, "../".into())]);
        assert_eq!(
            atoms("fd.name startswith /etc and fd.name in (/etc/shadow)"),
            [(Name, Exact, "/etc/shadow".into())]
        );
    }

    #[test]
    fn other_event_types_need_nothing() {
        let cond = "(evt.type = connect and proc.name = nc) or \
                    (evt.type in (open, openat) and fd.name = /etc/shadow)";
        assert_eq!(atoms(cond), [(Name, Exact, "/etc/shadow".into())]);
        assert_eq!(need(cond, "connect"), PathNeed::Any);
        assert_eq!(need("evt.type = connect", "openat"), PathNeed::NEVER);
    }
}
