use super::*;

#[test]
fn directives_escape_and_continuations() {
    let df = parse("# syntax=docker/dockerfile:1\n# escape=`\nFROM alpine:3.19\nRUN echo a `\n  # a comment inside\n\n  && echo b\n");
    assert_eq!(df.escape, '`');
    assert_eq!(
        df.directives[0],
        ("syntax".to_string(), "docker/dockerfile:1".to_string())
    );
    let run = &df.instructions[1];
    assert_eq!(run.keyword, "RUN");
    assert_eq!(run.args, "echo a   && echo b");
    assert_eq!((run.span.start_line, run.span.end_line), (4, 7));
    assert!(df.errors.is_empty());
}

#[test]
fn flags_exec_form_and_stages() {
    let df = parse("ARG TAG=3.19\nFROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN --mount=type=cache,target=/root/.cache go build\nFROM alpine:${TAG}\nCOPY --from=build --chmod=755 /out /app\nCMD [\"/app\"]\n");
    assert_eq!(df.stages.len(), 2);
    assert_eq!(df.stages[0].alias.as_deref(), Some("build"));
    assert_eq!(df.stages[0].platform.as_deref(), Some("$BUILDPLATFORM"));
    assert_eq!(df.stages[1].image, "alpine:3.19");
    let copy = &df.instructions[4];
    assert_eq!(copy.flag_value("from"), Some("build"));
    assert_eq!(copy.flag_value("chmod"), Some("755"));
    assert_eq!(copy.stage, Some(1));
    assert_eq!(
        df.instructions[5].exec.as_deref(),
        Some(&["/app".to_string()][..])
    );
    assert_eq!(
        df.instructions[2].flag_value("mount"),
        Some("type=cache,target=/root/.cache")
    );
}

#[test]
fn heredocs() {
    let src = "FROM debian\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nCOPY <<-\"CONF\" /etc/x.conf\n\tkey=value\n\tCONF\nRUN echo done\n";
    let df = parse(src);
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    let run = &df.instructions[1];
    assert_eq!(
        run.heredocs[0].body,
        "apt-get update\napt-get install -y curl\n"
    );
    assert_eq!((run.span.start_line, run.span.end_line), (2, 5));
    assert!(run.script().unwrap_or_default().contains("apt-get install"));
    let copy = &df.instructions[2];
    assert_eq!(copy.heredocs[0].body, "key=value\n");
    assert!(copy.heredocs[0].strip_tabs);
    assert_eq!(df.instructions[3].span.start_line, 9);
}

#[test]
fn heredoc_data_is_not_script() {
    let df = parse("RUN cat <<EOF > /etc/apt/sources.list\napt-get install evil\nEOF\n");
    assert!(!df.instructions[0]
        .script()
        .unwrap_or_default()
        .contains("evil"));
}

#[test]
fn onbuild_and_env_forms() {
    let df = parse("FROM a\nONBUILD RUN apt-get update\nENV A=1 B=\"two words\"\nENV LEGACY some value\nARG X 0\n");
    assert!(df.instructions[1].onbuild);
    assert_eq!(df.instructions[1].keyword, "RUN");
    let p = df.instructions[2].pairs();
    assert_eq!(p[1], ("B".to_string(), Some("two words".to_string())));
    assert_eq!(
        df.instructions[3].pairs(),
        vec![("LEGACY".to_string(), Some("some value".to_string()))]
    );
    assert_eq!(
        df.instructions[4].pairs(),
        vec![("X".to_string(), Some("0".to_string()))]
    );
}

#[test]
fn broken_instructions_are_reported_and_parsing_continues() {
    let df = parse(
        "FROM alpine\nFROBNICATE x\nRUN\nONBUILD FROM x\nSHELL /bin/sh\nRUN <<EOF\nnever closed\n",
    );
    assert_eq!(df.errors.len(), 5, "{:?}", df.errors);
    assert_eq!(df.errors[1].line, 2);
    assert!(df.instructions.iter().any(|i| i.is("RUN")));
}

#[test]
fn byte_order_mark_is_ignored() {
    let df = parse("\u{feff}FROM alpine:3.19\n");
    assert!(df.errors.is_empty(), "{:?}", df.errors);
    assert_eq!(df.stages.len(), 1);
}

#[test]
fn hostile_input_never_panics() {
    for s in [
        "\\",
        "RUN \\",
        "FROM ${",
        "RUN <<",
        "RUN <<-'",
        "\u{feff}FROM x",
        "RUN echo 'unterminated",
        "COPY [\"a\"",
        "# escape=x\nFROM a",
        "\r\nFROM a\r\n",
    ] {
        let _ = parse(s);
        let _ = crate::scan_dockerfile("x", s);
    }
}
