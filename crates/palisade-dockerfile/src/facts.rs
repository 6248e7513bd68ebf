//! A Dockerfile as a policy input document (`docs/policy-input/dockerfile.schema.json`):
//! stages, instructions with flags, and the simple commands of every shell script.

use crate::parser;
use crate::shell::Script;
use serde_json::{json, Map, Value};

/// The document Rego policies see for one Dockerfile.
pub fn facts(path: &str, content: &str) -> Value {
    let df = parser::parse(content);
    let stages: Vec<Value> = df
        .stages
        .iter()
        .map(|s| {
            json!({
                "index": s.index,
                "name": s.alias,
                "image": s.image,
                "platform": s.platform,
                "line": df.instructions.get(s.from).map(|i| i.span.start_line),
                "parent": s.parent,
                "final": df.final_stage().map(|f| f.index) == Some(s.index),
            })
        })
        .collect();
    let instructions: Vec<Value> = df
        .instructions
        .iter()
        .map(|i| {
            let flags: Map<String, Value> = i
                .flags
                .iter()
                .map(|f| {
                    let v = f.value.clone().map(Value::String).unwrap_or(Value::Bool(true));
                    (f.name.clone(), v)
                })
                .collect();
            let commands: Vec<Value> = i
                .script()
                .map(|s| {
                    Script::parse(&s)
                        .commands
                        .iter()
                        .map(|c| {
                            json!({
                                "name": c.name(),
                                "args": c.args(),
                                "assigns": c.assigns,
                                "redirects": c.redirects,
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "cmd": i.keyword.to_ascii_lowercase(),
                "value": i.args,
                "exec": i.exec,
                "flags": flags,
                "stage": i.stage,
                "onbuild": i.onbuild,
                "line": i.span.start_line,
                "end_line": i.span.end_line,
                "heredocs": i.heredocs.iter().map(|h| json!({"delimiter": h.delimiter, "body": h.body})).collect::<Vec<_>>(),
                "commands": commands,
            })
        })
        .collect();
    json!({
        "kind": "Dockerfile",
        "path": path,
        "stages": stages,
        "instructions": instructions,
        "errors": df.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::facts;

    #[test]
    fn stages_flags_and_commands() {
        let doc = facts(
            "Dockerfile",
            "FROM golang:1.22 AS build\nRUN --mount=type=cache,target=/root apt-get update && apt-get install -y curl\nFROM scratch\nCOPY --from=build /app /app\n",
        );
        assert_eq!(doc["stages"][0]["name"], "build");
        assert_eq!(doc["stages"][1]["final"], true);
        let run = &doc["instructions"][1];
        assert_eq!(run["cmd"], "run");
        assert_eq!(run["flags"]["mount"], "type=cache,target=/root");
        assert_eq!(run["commands"][1]["name"], "apt-get");
        assert_eq!(run["commands"][1]["args"][0], "install");
        assert_eq!(doc["instructions"][3]["flags"]["from"], "build");
    }
}
