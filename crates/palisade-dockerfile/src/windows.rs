//! Windows images: which `RUN` instructions go to a POSIX shell. `SHELL` changes the shell for
//! the rest of its stage (and stages built on it); Windows base images start with `cmd`.

use crate::parser::Dockerfile;

/// Base images whose default shell is `cmd /S /C`, not `/bin/sh -c`.
fn windows_base(image: &str) -> bool {
    let i = image.to_ascii_lowercase();
    [
        "windows/servercore",
        "windows/nanoserver",
        "windows/server",
        "mcr.microsoft.com/windows",
    ]
    .iter()
    .any(|w| i.contains(w))
}

/// A `SHELL ["…"]` executable that reads POSIX shell syntax.
fn is_posix(exe: &str) -> bool {
    let name = exe
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(exe)
        .to_ascii_lowercase();
    let name = name.strip_suffix(".exe").unwrap_or(&name);
    matches!(
        name,
        "sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "mksh" | "busybox"
    )
}

/// For each instruction: whether a shell-form `RUN` there is POSIX shell.
pub(crate) fn posix_shell_per_instruction(df: &Dockerfile) -> Vec<bool> {
    let mut stage_posix: Vec<bool> = Vec::with_capacity(df.stages.len());
    let mut current = true;
    let mut out = Vec::with_capacity(df.instructions.len());
    for ins in &df.instructions {
        if ins.is("FROM") && !ins.onbuild {
            let stage = ins.stage.and_then(|s| df.stages.get(s));
            current = match stage {
                Some(st) => match st.parent {
                    Some(p) => stage_posix.get(p).copied().unwrap_or(true),
                    None => !windows_base(&st.image),
                },
                None => true,
            };
            stage_posix.push(current);
        } else if ins.is("SHELL") && !ins.onbuild {
            if let Some(exe) = ins.exec.as_ref().and_then(|v| v.first()) {
                current = is_posix(exe);
                if let Some(last) = stage_posix.last_mut() {
                    *last = current;
                }
            }
        }
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posix(text: &str) -> Vec<bool> {
        posix_shell_per_instruction(&crate::parser::parse(text))
    }

    #[test]
    fn shells_follow_shell_and_base_images() {
        assert_eq!(posix("FROM debian\nRUN ls\n"), vec![true, true]);
        assert_eq!(
            posix("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\n"),
            vec![false, false]
        );
        assert_eq!(
            posix("FROM debian\nSHELL [\"powershell\", \"-Command\"]\nRUN Get-ChildItem\n"),
            vec![true, false, false]
        );
        assert_eq!(
            posix(
                "FROM debian AS a\nSHELL [\"pwsh\", \"-c\"]\nFROM a\nRUN x\nFROM debian\nRUN y\n"
            ),
            vec![true, false, false, false, true, true]
        );
        assert_eq!(
            posix("FROM mcr.microsoft.com/windows/nanoserver\nSHELL [\"C:\\\\bin\\\\bash.exe\", \"-c\"]\nRUN ls\n"),
            vec![false, true, true]
        );
    }

    #[test]
    fn cmd_and_powershell_runs_are_not_read_as_posix_shell() {
        let ids = |text: &str| -> Vec<String> {
            crate::scan_dockerfile("Dockerfile", text)
                .findings
                .into_iter()
                .map(|f| f.rule_id)
                .collect()
        };
        let posix = ids("FROM debian:12\nRUN wget -O - https://x | wc -l\n");
        assert!(posix.contains(&"DF042".to_string()), "{posix:?}");
        for text in [
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir | findstr x\n",
            "FROM debian:12\nSHELL [\"pwsh\", \"-c\"]\nRUN wget -O - https://x | wc -l\n",
            "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver\nRUN type a `\n  | more\n",
        ] {
            assert!(!ids(text).contains(&"DF042".to_string()), "{text}");
        }
    }
}
