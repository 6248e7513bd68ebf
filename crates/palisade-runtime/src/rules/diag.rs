//! Errors and warnings of rule loading, placed like `falco --validate` places them: file,
//! item (kind and name) and line/column of the item.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub level: Level,
    /// Falco's code: `LOAD_ERR_COMPILE_CONDITION`, `LOAD_UNUSED_MACRO`, …
    pub code: &'static str,
    pub file: String,
    /// 1-based; 0 when the position is unknown.
    pub line: usize,
    pub column: usize,
    /// `rule 'Terminal shell in container'`, `macro 'spawned_process'`.
    pub item: Option<String>,
    pub message: String,
}

impl Diagnostic {
    /// Falco's description of each code, printed after it.
    pub fn code_text(&self) -> &'static str {
        match self.code {
            "LOAD_ERR_FILE_READ" => "Could not read file",
            "LOAD_ERR_YAML_PARSE" => "Invalid yaml",
            "LOAD_ERR_YAML_VALIDATE" => "Invalid rules content",
            "LOAD_ERR_COMPILE_CONDITION" => "Error compiling condition",
            "LOAD_ERR_COMPILE_OUTPUT" => "Error compiling output",
            "LOAD_ERR_VALIDATE" => "Error validating rule/macro/list/exception objects",
            "LOAD_UNKNOWN_SOURCE" => "Unknown rule source",
            "LOAD_UNKNOWN_FILTER" => "Unknown field or event-type in condition or output",
            "LOAD_UNUSED_MACRO" => "Unused macro",
            "LOAD_UNUSED_LIST" => "Unused list",
            "LOAD_UNKNOWN_ITEM" => "Unknown rules file item",
            "LOAD_COMPILE_CONDITION" => "Condition does not behave as written",
            "LOAD_NO_EVTTYPE" => "Condition has no event-type restriction",
            "LOAD_UNSUPPORTED_FIELD" => "Field not provided by Palisade yet",
            "LOAD_PLUGIN_NOT_PROVIDED" => "Required plugin not provided",
            _ => "",
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(f, "{}:{}:{}: {level}: ", self.file, self.line, self.column)?;
        if let Some(item) = &self.item {
            write!(f, "{item}: ")?;
        }
        write!(f, "{} ({}): {}", self.code, self.code_text(), self.message)
    }
}
