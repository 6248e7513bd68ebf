//! Dockerfile rules (family `dockerfile`). One file per rule: its [`Rule`] (metadata,
//! check, fixtures) is a `pub static RULE`.

use crate::parser::{Dockerfile, Instruction};
use crate::shell::Script;
use palisade_core::{RuleMeta, Span};

mod df001_latest_tag;
mod df002_untagged_image;
mod df003_no_digest;
mod df004_root_user;
mod df005_no_user;
mod df006_apt_lists;
mod df007_apk_no_cache;
mod df008_pip_no_cache;
mod df009_no_install_recommends;
mod df010_apt_pin;
mod df011_apk_pin;
mod df012_pip_pin;
mod df013_npm_pin;
mod df014_gem_pin;
mod df015_secret_env;
mod df016_key_file_copied;
mod df017_add_remote;
mod df018_pipe_to_shell;
mod df019_chmod_777;
mod df020_sudo;
mod df021_tls_disabled;
mod df022_expose_22;
mod df023_no_healthcheck;
mod df024_oci_labels;
mod df025_relative_workdir;
mod df026_apt_upgrade;
mod df027_build_tools_final;
mod df028_add_for_files;
mod df029_copy_from_unknown;
mod df030_copy_from_self;
mod df031_duplicate_alias;
mod df032_run_cd;
mod df033_apt_get_yes;
mod df034_use_apt_get;
mod df035_yum_clean;
mod df036_yum_yes;
mod df037_yum_pin;
mod df038_dnf_clean;
mod df039_zypper_yes;
mod df040_zypper_pin;
mod df041_zypper_clean;
mod df042_pipefail;
mod df043_exec_form;
mod df044_multiple_cmd;
mod df045_multiple_entrypoint;
mod df046_maintainer;
mod df047_update_alone;
mod df048_untrusted_packages;
mod df049_plain_http_download;
mod df050_curl_and_wget;
mod df051_port_range;
mod df052_copy_dest_slash;
mod df053_chpasswd;
mod df054_insecure_run;

pub mod util;

/// A rule: metadata, check and its own positive/negative fixtures.
pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&Ctx) -> Vec<Hit>,
    /// Dockerfiles the rule must fire on.
    pub fires: &'static [&'static str],
    /// Dockerfiles the rule must stay silent on.
    pub passes: &'static [&'static str],
}

/// One place a rule fired.
#[derive(Debug, Clone)]
pub struct Hit {
    pub span: Span,
    pub message: String,
    pub evidence: Option<String>,
}

impl Hit {
    pub fn at(ins: &Instruction, message: impl Into<String>) -> Hit {
        Hit {
            span: ins.span,
            message: message.into(),
            evidence: Some(first_line(ins)),
        }
    }
}

fn first_line(ins: &Instruction) -> String {
    let mut s = String::new();
    if ins.onbuild {
        s.push_str("ONBUILD ");
    }
    s.push_str(&ins.keyword);
    for f in &ins.flags {
        s.push_str(" --");
        s.push_str(&f.name);
        if let Some(v) = &f.value {
            s.push('=');
            s.push_str(v);
        }
    }
    s.push(' ');
    s.push_str(&ins.args);
    let mut out: String = s.chars().take(200).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// The parsed file plus what rules share: shell scripts of `RUN`s, parsed once.
pub struct Ctx<'a> {
    pub df: &'a Dockerfile,
    scripts: Vec<Option<Script>>,
}

impl<'a> Ctx<'a> {
    pub fn new(df: &'a Dockerfile) -> Ctx<'a> {
        let posix = crate::windows::posix_shell_per_instruction(df);
        let scripts = df
            .instructions
            .iter()
            .enumerate()
            .map(|(n, i)| {
                if !i.is("RUN") {
                    return None;
                }
                // cmd and PowerShell scripts are not POSIX shell: the RUN rules, which read
                // `apt-get`, pipes and `&&`, have nothing to say about them.
                if i.exec.is_none() && !posix.get(n).copied().unwrap_or(true) {
                    return None;
                }
                Some(match &i.exec {
                    // `["sh", "-c", "script"]` runs a script; other exec forms are one command.
                    Some(v) if v.len() >= 3 && v[v.len() - 2] == "-c" => {
                        Script::parse(&v[v.len() - 1])
                    }
                    Some(v) => Script {
                        commands: vec![crate::shell::Command {
                            words: v.clone(),
                            ..Default::default()
                        }],
                    },
                    None => Script::parse(&i.script().unwrap_or_default()),
                })
            })
            .collect();
        Ctx { df, scripts }
    }

    /// Every `RUN` (including `ONBUILD RUN`) with its parsed script.
    pub fn runs(&self) -> impl Iterator<Item = (usize, &'a Instruction, &Script)> + '_ {
        self.df
            .instructions
            .iter()
            .enumerate()
            .filter_map(move |(i, ins)| {
                self.scripts
                    .get(i)
                    .and_then(|s| s.as_ref())
                    .map(|s| (i, ins, s))
            })
    }

    /// The parsed script of the `RUN` at instruction index `i`.
    pub fn script(&self, i: usize) -> Option<&Script> {
        self.scripts.get(i).and_then(|s| s.as_ref())
    }

    /// Instructions with a keyword, `ONBUILD` triggers included.
    pub fn all(&self, keyword: &'static str) -> impl Iterator<Item = &'a Instruction> + 'a {
        self.df.instructions.iter().filter(move |i| i.is(keyword))
    }
}

static ALL: [&Rule; 54] = [
    &df001_latest_tag::RULE,
    &df002_untagged_image::RULE,
    &df003_no_digest::RULE,
    &df004_root_user::RULE,
    &df005_no_user::RULE,
    &df006_apt_lists::RULE,
    &df007_apk_no_cache::RULE,
    &df008_pip_no_cache::RULE,
    &df009_no_install_recommends::RULE,
    &df010_apt_pin::RULE,
    &df011_apk_pin::RULE,
    &df012_pip_pin::RULE,
    &df013_npm_pin::RULE,
    &df014_gem_pin::RULE,
    &df015_secret_env::RULE,
    &df016_key_file_copied::RULE,
    &df017_add_remote::RULE,
    &df018_pipe_to_shell::RULE,
    &df019_chmod_777::RULE,
    &df020_sudo::RULE,
    &df021_tls_disabled::RULE,
    &df022_expose_22::RULE,
    &df023_no_healthcheck::RULE,
    &df024_oci_labels::RULE,
    &df025_relative_workdir::RULE,
    &df026_apt_upgrade::RULE,
    &df027_build_tools_final::RULE,
    &df028_add_for_files::RULE,
    &df029_copy_from_unknown::RULE,
    &df030_copy_from_self::RULE,
    &df031_duplicate_alias::RULE,
    &df032_run_cd::RULE,
    &df033_apt_get_yes::RULE,
    &df034_use_apt_get::RULE,
    &df035_yum_clean::RULE,
    &df036_yum_yes::RULE,
    &df037_yum_pin::RULE,
    &df038_dnf_clean::RULE,
    &df039_zypper_yes::RULE,
    &df040_zypper_pin::RULE,
    &df041_zypper_clean::RULE,
    &df042_pipefail::RULE,
    &df043_exec_form::RULE,
    &df044_multiple_cmd::RULE,
    &df045_multiple_entrypoint::RULE,
    &df046_maintainer::RULE,
    &df047_update_alone::RULE,
    &df048_untrusted_packages::RULE,
    &df049_plain_http_download::RULE,
    &df050_curl_and_wget::RULE,
    &df051_port_range::RULE,
    &df052_copy_dest_slash::RULE,
    &df053_chpasswd::RULE,
    &df054_insecure_run::RULE,
];

pub fn all() -> &'static [&'static Rule] {
    &ALL
}

pub(crate) use df015_secret_env::secret_name;
pub(crate) use df021_tls_disabled::disabling_var;
