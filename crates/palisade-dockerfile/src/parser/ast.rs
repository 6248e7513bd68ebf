//! The parsed Dockerfile: instructions with spans, and stages built from `FROM`.

use super::expand::{expand, Env};
use super::lines::{Directives, LogicalLine};
use super::ParseError;
use palisade_core::Span;

const KEYWORDS: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// `--name=value` (or bare `--name`) before an instruction's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    pub delimiter: String,
    pub body: String,
    /// `<<-`: leading tabs were stripped.
    pub strip_tabs: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// Upper-case keyword (`RUN`). For an `ONBUILD` trigger, the trigger's keyword.
    pub keyword: String,
    pub flags: Vec<Flag>,
    /// Arguments after the flags, continuations joined.
    pub args: String,
    /// Exec form (`["a", "b"]`), when the arguments are a JSON array of strings.
    pub exec: Option<Vec<String>>,
    pub heredocs: Vec<Heredoc>,
    pub span: Span,
    /// Wrapped in `ONBUILD`: runs in images built from this one.
    pub onbuild: bool,
    /// Index of the stage this instruction belongs to (`None` before the first `FROM`).
    pub stage: Option<usize>,
    /// The file's escape character (`\\`, or `` ` `` after `# escape=`), for word splitting.
    pub escape: char,
}

impl Instruction {
    pub fn is(&self, keyword: &str) -> bool {
        self.keyword == keyword
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    pub fn flag_value(&self, name: &str) -> Option<&str> {
        self.flag(name).and_then(|f| f.value.as_deref())
    }

    /// Arguments split like BuildKit splits non-shell instructions (quotes removed).
    pub fn words(&self) -> Vec<String> {
        match &self.exec {
            Some(v) => v.clone(),
            None => split_words_with(&self.args, self.escape),
        }
    }

    /// `KEY=value` pairs of `ENV`, `LABEL` and `ARG` (legacy `ENV KEY value` too).
    pub fn pairs(&self) -> Vec<(String, Option<String>)> {
        let words = split_words_with(&self.args, self.escape);
        // `ENV KEY value` (legacy form); `ARG KEY value` is not valid BuildKit but tools and
        // people write it, and it means the same.
        let legacy = (self.keyword == "ENV" && words.first().is_some_and(|w| !w.contains('=')))
            || (self.keyword == "ARG"
                && words.len() == 2
                && !words[0].contains('=')
                && !words[1].contains('='));
        if legacy {
            let mut it = self.args.trim().splitn(2, char::is_whitespace);
            let k = it.next().unwrap_or("").to_string();
            let v = it.next().map(|v| unquote(v.trim()));
            return vec![(k, v)];
        }
        words
            .into_iter()
            .map(|w| match w.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (w, None),
            })
            .collect()
    }

    /// Shell script of a `RUN` (shell form plus heredoc bodies), `None` for exec form.
    pub fn script(&self) -> Option<String> {
        if self.exec.is_some() {
            return None;
        }
        let mut s = self.args.clone();
        // `RUN <<EOF` or `RUN bash <<EOF`: the heredoc is the script. Otherwise it is data
        // (`cat <<EOF > file`) and must not be read as commands.
        let first = s.split_whitespace().next().unwrap_or("");
        let shell_body = first.starts_with("<<")
            || (matches!(
                first.rsplit('/').next(),
                Some("sh" | "bash" | "ash" | "dash" | "zsh")
            ) && s
                .split_whitespace()
                .nth(1)
                .is_some_and(|w| w.starts_with("<<")));
        if shell_body {
            for h in &self.heredocs {
                s.push('\n');
                s.push_str(&h.body);
            }
        }
        Some(s)
    }

    /// The words a `RUN` executes, whatever the form (exec form joined by spaces).
    pub fn command_text(&self) -> String {
        match &self.exec {
            Some(v) => v.join(" "),
            None => self.script().unwrap_or_default(),
        }
    }
}

/// One `FROM` and the instructions that follow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// Image reference as written, after substituting global `ARG` defaults.
    pub image: String,
    pub raw_image: String,
    pub alias: Option<String>,
    pub platform: Option<String>,
    /// Index in `Dockerfile::instructions` of the `FROM`.
    pub from: usize,
    /// One past the last instruction of the stage.
    pub end: usize,
    /// The earlier stage this one builds on (`FROM builder`).
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Dockerfile {
    pub directives: Vec<(String, String)>,
    pub escape: char,
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
    /// `ARG`s before the first `FROM` with their defaults.
    pub global_args: Env,
    pub errors: Vec<ParseError>,
    /// Lower-cased stage alias → first stage with it; a map so that files with very many
    /// stages stay linear to build and to query.
    stage_names: std::collections::HashMap<String, usize>,
    /// Per stage: whether it is the final stage or one of its ancestors (computed once;
    /// rules ask this for every instruction).
    in_final: Vec<bool>,
}

impl Dockerfile {
    pub(crate) fn build(
        directives: Directives,
        escape: char,
        mut instructions: Vec<Instruction>,
        errors: Vec<ParseError>,
    ) -> Dockerfile {
        for ins in &mut instructions {
            ins.escape = escape;
        }
        let mut global_args = Env::default();
        let mut stages: Vec<Stage> = Vec::new();
        let mut stage_names: std::collections::HashMap<String, usize> = Default::default();
        for i in 0..instructions.len() {
            let ins = &instructions[i];
            if ins.is("FROM") && !ins.onbuild {
                let words = split_words_with(&ins.args, escape);
                let raw_image = words.first().cloned().unwrap_or_default();
                let image = expand(&raw_image, &global_args);
                let alias = match (words.get(1), words.get(2)) {
                    (Some(a), Some(n)) if a.eq_ignore_ascii_case("as") => Some(n.clone()),
                    _ => None,
                };
                let parent = stage_names.get(&image.to_ascii_lowercase()).copied();
                if let Some(last) = stages.last_mut() {
                    last.end = i;
                }
                if let Some(a) = &alias {
                    stage_names
                        .entry(a.to_ascii_lowercase())
                        .or_insert(stages.len());
                }
                stages.push(Stage {
                    index: stages.len(),
                    image,
                    raw_image,
                    alias,
                    platform: ins.flag_value("platform").map(str::to_string),
                    from: i,
                    end: instructions.len(),
                    parent,
                });
            } else if ins.is("ARG") && stages.is_empty() {
                for (k, v) in ins.pairs() {
                    global_args.set(k, v.unwrap_or_default());
                }
            }
            instructions[i].stage = stages.len().checked_sub(1);
        }
        Dockerfile {
            directives,
            escape,
            instructions,
            stages,
            global_args,
            errors,
            stage_names,
            in_final: Vec::new(),
        }
        .with_final_chain()
    }

    fn with_final_chain(mut self) -> Self {
        let mut in_final = vec![false; self.stages.len()];
        let mut cur = self.stages.len().checked_sub(1);
        while let Some(i) = cur {
            match in_final.get_mut(i) {
                Some(seen) if !*seen => *seen = true,
                _ => break,
            }
            cur = self.stages.get(i).and_then(|s| s.parent);
        }
        self.in_final = in_final;
        self
    }

    /// Whether stage `i` ends up in the final image: the last stage or one of its ancestors.
    pub fn in_final_chain(&self, i: usize) -> bool {
        self.in_final.get(i).copied().unwrap_or(false)
    }

    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    pub fn stage_instructions(&self, stage: &Stage) -> &[Instruction] {
        self.instructions.get(stage.from..stage.end).unwrap_or(&[])
    }

    pub fn stage_by_name(&self, name: &str) -> Option<&Stage> {
        self.stage_names
            .get(&name.to_ascii_lowercase())
            .and_then(|&i| self.stages.get(i))
    }

    /// The stages whose content ends up in the final image: the last one and its ancestors.
    pub fn final_chain(&self) -> Vec<usize> {
        (0..self.stages.len())
            .rev()
            .filter(|&i| self.in_final_chain(i))
            .collect()
    }
}

pub(crate) fn instruction_from_line(l: LogicalLine) -> Result<Instruction, ParseError> {
    let err = |m: String| ParseError {
        line: l.span.start_line,
        message: m,
    };
    let text = l.text.trim();
    let (kw, rest) = split_keyword(text);
    let keyword = kw.to_ascii_uppercase();
    if !KEYWORDS.contains(&keyword.as_str()) {
        return Err(err(format!("unknown instruction {kw:?}")));
    }
    if keyword == "ONBUILD" {
        let (inner_kw, _) = split_keyword(rest);
        let inner_up = inner_kw.to_ascii_uppercase();
        if inner_up.is_empty() {
            return Err(err("ONBUILD requires an instruction".into()));
        }
        if matches!(inner_up.as_str(), "ONBUILD" | "FROM" | "MAINTAINER") {
            return Err(err(format!(
                "{inner_up} is not allowed as an ONBUILD trigger"
            )));
        }
        let inner = LogicalLine {
            text: rest.to_string(),
            span: l.span,
            heredocs: l.heredocs,
        };
        let mut ins = instruction_from_line(inner)?;
        ins.onbuild = true;
        return Ok(ins);
    }
    let (flags, args) = split_flags(rest);
    if args.trim().is_empty() && l.heredocs.is_empty() {
        return Err(err(format!("{keyword} requires at least one argument")));
    }
    let exec = if matches!(
        keyword.as_str(),
        "RUN" | "CMD" | "ENTRYPOINT" | "SHELL" | "COPY" | "ADD" | "VOLUME" | "HEALTHCHECK"
    ) {
        parse_exec(args)
    } else {
        None
    };
    if keyword == "SHELL" && exec.is_none() {
        return Err(err("SHELL requires the arguments in JSON form".into()));
    }
    Ok(Instruction {
        keyword,
        flags,
        args: args.trim().to_string(),
        exec,
        heredocs: l.heredocs,
        span: l.span,
        onbuild: false,
        stage: None,
        escape: '\\',
    })
}

fn split_keyword(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], s[i..].trim_start()),
        None => (s, ""),
    }
}

/// Leading `--flag[=value]` words; the rest is returned untouched.
fn split_flags(mut s: &str) -> (Vec<Flag>, &str) {
    let mut flags = Vec::new();
    loop {
        let t = s.trim_start();
        if !t.starts_with("--") || t.starts_with("-- ") || t == "--" {
            return (flags, t);
        }
        let end = t.find(char::is_whitespace).unwrap_or(t.len());
        let word = &t[2..end];
        let (name, value) = match word.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(unquote(v))),
            None => (word.to_string(), None),
        };
        flags.push(Flag { name, value });
        s = &t[end..];
    }
}

fn parse_exec(args: &str) -> Option<Vec<String>> {
    let t = args.trim();
    if !t.starts_with('[') {
        return None;
    }
    serde_json::from_str::<Vec<String>>(t).ok()
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return s[1..s.len() - 1].to_string();
        }
    }
    s.to_string()
}

/// Splits on unquoted whitespace and removes quotes, like BuildKit's word parsing.
/// Words as BuildKit splits them with `escape` as the escape character: with `` ` ``
/// (Windows Dockerfiles) a backslash is an ordinary character, as in `C:\\app\\`.
pub fn split_words_with(s: &str, escape: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some('"') if c == escape => {
                if let Some(&n) = chars.peek() {
                    if n == '"' || n == escape {
                        cur.push(n);
                        chars.next();
                        continue;
                    }
                }
                cur.push(c);
            }
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                in_word = true;
            }
            None if c == escape => {
                in_word = true;
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            None if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            None => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}
