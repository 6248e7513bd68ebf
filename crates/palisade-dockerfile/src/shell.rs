//! Just enough POSIX shell for `RUN`: split a script into simple commands on `&&`, `||`,
//! `;`, `&`, newlines, pipes and subshells, with quotes removed, assignments and
//! redirections set aside. Commands inside `$(...)` and backticks are commands too.

/// One simple command, e.g. `apt-get install -y curl`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    /// `VAR=value` words before the command name.
    pub assigns: Vec<String>,
    pub words: Vec<String>,
    /// Its output goes into a pipe (`a | b`: true for `a`).
    pub pipe_out: bool,
    /// It reads a pipe (`a | b`: true for `b`).
    pub pipe_in: bool,
    /// Redirection targets (`> /file`).
    pub redirects: Vec<String>,
}

impl Command {
    /// Program name without its directory (`/usr/bin/apt-get` -> `apt-get`).
    pub fn name(&self) -> &str {
        let w = self.words.first().map(String::as_str).unwrap_or("");
        w.rsplit('/').next().unwrap_or(w)
    }

    pub fn args(&self) -> &[String] {
        self.words.get(1..).unwrap_or(&[])
    }

    /// Whether an option is present: `short` matches inside clusters (`-yq`), `long` exactly
    /// or as `--long=value`.
    pub fn has_opt(&self, short: &[char], long: &[&str]) -> bool {
        self.args().iter().any(|a| opt_matches(a, short, long))
    }

    /// Whether any argument equals `w`.
    pub fn has_word(&self, w: &str) -> bool {
        self.args().iter().any(|a| a == w)
    }

    /// First argument that does not start with `-` (the sub-command of apt-get, apk, pip).
    pub fn subcommand(&self, value_opts: &[&str]) -> Option<&str> {
        positional(self.args(), value_opts)
            .first()
            .map(|s| s.as_str())
    }
}

pub fn opt_matches(a: &str, short: &[char], long: &[&str]) -> bool {
    if let Some(l) = a.strip_prefix("--") {
        let name = l.split('=').next().unwrap_or(l);
        return long.iter().any(|x| x.trim_start_matches('-') == name);
    }
    if let Some(s) = a.strip_prefix('-') {
        let s = s.split('=').next().unwrap_or(s);
        return !s.is_empty()
            && s.chars().all(|c| c.is_ascii_alphanumeric())
            && s.chars().any(|c| short.contains(&c));
    }
    false
}

/// Non-option arguments; options named in `value_opts` consume the next word.
pub fn positional<'a>(args: &'a [String], value_opts: &[&str]) -> Vec<&'a String> {
    let mut out = Vec::new();
    let mut skip = false;
    let mut after_dashdash = false;
    for a in args {
        if skip {
            skip = false;
            continue;
        }
        if after_dashdash {
            out.push(a);
            continue;
        }
        if a == "--" {
            after_dashdash = true;
            continue;
        }
        if a.starts_with('-') && a.len() > 1 {
            if value_opts.contains(&a.as_str()) {
                skip = true;
            }
            continue;
        }
        out.push(a);
    }
    out
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    pub commands: Vec<Command>,
}

impl Script {
    pub fn parse(text: &str) -> Script {
        let mut p = Parser::default();
        p.run(text);
        p.finish_command(false);
        Script {
            commands: p.commands,
        }
    }

    /// Commands with the given program name.
    pub fn named<'a>(&'a self, names: &'a [&'a str]) -> impl Iterator<Item = &'a Command> + 'a {
        self.commands
            .iter()
            .filter(move |c| names.contains(&c.name()))
    }

    pub fn has_pipe(&self) -> bool {
        self.commands.iter().any(|c| c.pipe_out)
    }
}

#[derive(Default)]
struct Parser {
    commands: Vec<Command>,
    cur: Command,
    word: String,
    in_word: bool,
    redirect_next: bool,
    pipe_in_next: bool,
    /// Open `$(`/`` ` ``/`(`: the outer command being built (`None` for a plain subshell).
    stack: Vec<Option<Saved>>,
    in_backtick: bool,
}

struct Saved {
    cur: Command,
    word: String,
    redirect_next: bool,
    pipe_in_next: bool,
}

impl Parser {
    /// Starts a command substitution: the outer command waits until it closes.
    fn open_subst(&mut self) {
        let saved = Saved {
            cur: std::mem::take(&mut self.cur),
            word: std::mem::take(&mut self.word),
            redirect_next: std::mem::replace(&mut self.redirect_next, false),
            pipe_in_next: std::mem::replace(&mut self.pipe_in_next, false),
        };
        self.in_word = false;
        self.stack.push(Some(saved));
    }

    fn close(&mut self) {
        self.finish_command(false);
        if let Some(Some(saved)) = self.stack.pop() {
            self.cur = saved.cur;
            self.word = saved.word;
            self.word.push_str("$(...)");
            self.in_word = true;
            self.redirect_next = saved.redirect_next;
            self.pipe_in_next = saved.pipe_in_next;
        }
    }

    fn end_word(&mut self) {
        if !self.in_word {
            return;
        }
        let w = std::mem::take(&mut self.word);
        self.in_word = false;
        if self.redirect_next {
            self.redirect_next = false;
            self.cur.redirects.push(w);
        } else if self.cur.words.is_empty() && is_assignment(&w) {
            self.cur.assigns.push(w);
        } else if self.cur.words.is_empty()
            && matches!(
                w.as_str(),
                "{" | "}"
                    | "!"
                    | "then"
                    | "do"
                    | "else"
                    | "elif"
                    | "if"
                    | "while"
                    | "until"
                    | "fi"
                    | "done"
                    | "esac"
                    | "time"
            )
        {
            // Keywords of compound commands: the command proper follows.
        } else {
            self.cur.words.push(w);
        }
    }

    fn finish_command(&mut self, pipe_out: bool) {
        self.end_word();
        let mut c = std::mem::take(&mut self.cur);
        c.pipe_in = self.pipe_in_next;
        c.pipe_out = pipe_out;
        self.pipe_in_next = pipe_out;
        self.redirect_next = false;
        if !c.words.is_empty() || !c.assigns.is_empty() {
            self.commands.push(c);
        } else if pipe_out {
            // `{ ...; } | x` or `( ... ) | x`: the group's last command feeds the pipe.
            if let Some(last) = self.commands.last_mut() {
                last.pipe_out = true;
            }
        } else {
            self.pipe_in_next = false;
        }
    }

    fn run(&mut self, text: &str) {
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied();
            match c {
                '\\' => {
                    if let Some(n) = next {
                        if n != '\n' {
                            self.word.push(n);
                            self.in_word = true;
                        }
                    }
                    i += 2;
                    continue;
                }
                '\'' => {
                    self.in_word = true;
                    let end = chars[i + 1..]
                        .iter()
                        .position(|&x| x == '\'')
                        .map(|p| i + 1 + p)
                        .unwrap_or(chars.len());
                    self.word.extend(&chars[(i + 1).min(chars.len())..end]);
                    i = end + 1;
                    continue;
                }
                '"' => {
                    self.in_word = true;
                    i += 1;
                    while i < chars.len() && chars[i] != '"' {
                        if chars[i] == '\\'
                            && i + 1 < chars.len()
                            && matches!(chars[i + 1], '"' | '\\' | '$' | '`')
                        {
                            i += 1;
                        }
                        self.word.push(chars[i]);
                        i += 1;
                    }
                    i += 1;
                    continue;
                }
                '#' if !self.in_word => {
                    while i < chars.len() && chars[i] != '\n' {
                        i += 1;
                    }
                    continue;
                }
                '$' if next == Some('(') && chars.get(i + 2) != Some(&'(') => {
                    self.open_subst();
                    i += 2;
                    continue;
                }
                '`' => {
                    if self.in_backtick {
                        self.close();
                    } else {
                        self.open_subst();
                    }
                    self.in_backtick = !self.in_backtick;
                    i += 1;
                    continue;
                }
                '$' => {
                    // Keep `${...}` and `$((...))` whole so their insides are not split.
                    if next == Some('{') || (next == Some('(') && chars.get(i + 2) == Some(&'(')) {
                        let (open, close) = if next == Some('{') {
                            ('{', '}')
                        } else {
                            ('(', ')')
                        };
                        let mut depth = 0;
                        let mut j = i + 1;
                        while j < chars.len() {
                            if chars[j] == open {
                                depth += 1;
                            } else if chars[j] == close {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            j += 1;
                        }
                        self.word.extend(&chars[i..(j + 1).min(chars.len())]);
                        self.in_word = true;
                        i = j + 1;
                        continue;
                    }
                    self.word.push(c);
                    self.in_word = true;
                }
                '&' if next == Some('&') => {
                    self.finish_command(false);
                    i += 2;
                    continue;
                }
                '|' if next == Some('|') => {
                    self.finish_command(false);
                    i += 2;
                    continue;
                }
                // `a|b)` is a `case` pattern, not a pipe.
                '|' if self.in_word && case_pattern_follows(&chars[i + 1..]) => {
                    self.word.push(c);
                }
                '|' => {
                    self.finish_command(true);
                    if next == Some('&') {
                        i += 1;
                    }
                }
                '&' if next == Some('>') => {
                    self.end_word();
                    self.redirect_next = true;
                    i += if chars.get(i + 2) == Some(&'>') { 3 } else { 2 };
                    continue;
                }
                '(' => {
                    self.finish_command(false);
                    self.stack.push(None);
                }
                ')' => self.close(),
                ';' | '&' | '\n' => self.finish_command(false),
                '>' | '<' => {
                    // `2>`: the digits were a file descriptor, not a word.
                    if self.in_word && self.word.chars().all(|d| d.is_ascii_digit()) {
                        self.word.clear();
                        self.in_word = false;
                    } else {
                        self.end_word();
                    }
                    let mut j = i + 1;
                    while j < chars.len() && matches!(chars[j], '>' | '<' | '|') {
                        j += 1;
                    }
                    if j < chars.len() && chars[j] == '&' {
                        // `>&2`, `2>&1`: a descriptor follows, not a file.
                        j += 1;
                        while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '-') {
                            j += 1;
                        }
                    } else {
                        self.redirect_next = true;
                    }
                    i = j;
                    continue;
                }
                c if c.is_whitespace() => self.end_word(),
                _ => {
                    self.word.push(c);
                    self.in_word = true;
                }
            }
            i += 1;
        }
    }
}

fn case_pattern_follows(rest: &[char]) -> bool {
    let token: Vec<char> = rest
        .iter()
        .take_while(|c| !c.is_whitespace())
        .copied()
        .collect();
    token
        .first()
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '*')
        && token.last() == Some(&')')
        && !token.contains(&'(')
}

fn is_assignment(w: &str) -> bool {
    match w.split_once('=') {
        Some((k, _)) => {
            !k.is_empty()
                && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !k.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<String> {
        Script::parse(s)
            .commands
            .iter()
            .map(|c| c.name().to_string())
            .collect()
    }

    #[test]
    fn splits_on_operators_and_pipes() {
        assert_eq!(
            names("apt-get update && apt-get install -y x || true; echo ok"),
            ["apt-get", "apt-get", "true", "echo"]
        );
        let s = Script::parse("curl -fsSL https://x/i.sh | sh -s -- -y");
        assert!(s.commands[0].pipe_out && s.commands[1].pipe_in);
        assert_eq!(s.commands[1].name(), "sh");
        assert!(s.has_pipe());
    }

    #[test]
    fn quotes_redirections_and_assignments() {
        let s = Script::parse(
            "DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get install 'a b' \"c\" 2>&1 > /dev/null",
        );
        let c = &s.commands[0];
        assert_eq!(c.assigns, ["DEBIAN_FRONTEND=noninteractive"]);
        assert_eq!(c.name(), "apt-get");
        assert_eq!(c.args(), ["install", "a b", "c"]);
        assert_eq!(c.redirects, ["/dev/null"]);
        assert_eq!(names("echo \"a && b\" # cd /x && y"), ["echo"]);
    }

    #[test]
    fn substitutions_and_compounds() {
        // Substitutions run before the command that uses their output.
        assert_eq!(
            names("echo $(id -u) `whoami` ${A:-b}"),
            ["id", "whoami", "echo"]
        );
        assert_eq!(
            Script::parse("echo $(id -u) x").commands[1].args(),
            ["$(...)", "x"]
        );
        assert_eq!(names("if [ -f x ]; then rm x; fi"), ["[", "rm"]);
        assert_eq!(
            names("(cd /a && make) && { make install; }"),
            ["cd", "make", "make"]
        );
    }

    #[test]
    fn options() {
        let s = Script::parse("apt-get -yq install -t stable --no-install-recommends pkg");
        let c = &s.commands[0];
        assert!(c.has_opt(&['y'], &["yes"]));
        assert!(c.has_opt(&[], &["no-install-recommends"]));
        assert!(!c.has_opt(&['x'], &["purge"]));
        assert_eq!(c.subcommand(&["-t"]), Some("install"));
        assert_eq!(positional(c.args(), &["-t"]), ["install", "pkg"]);
    }
}
