//! `gator verify`: Gatekeeper's `suite.yaml` tests, run the way gator runs them.

use crate::bundle::read_capped;
use crate::gatekeeper::{
    points, Constraint, Engine, Expansion, Gatekeeper, Inventory, Review, Template,
};
use crate::rego::Limits;
use crate::PolicyError;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The outcome of one assertion of one case.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AssertionResult {
    pub suite: String,
    pub test: String,
    pub case: String,
    /// `yes`, `no` or a number, with `message` the regular expression that filters violations.
    pub expected: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Violations that matched the filter; `None` when the case could not be evaluated.
    pub actual: Option<usize>,
    pub pass: bool,
    /// Why it could not be evaluated, or what the violations said when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One test (template + constraint) with its assertions.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TestResult {
    pub suite: String,
    pub test: String,
    pub skipped: bool,
    /// The template or constraint could not be loaded (a tool error, unless the test expects
    /// the constraint to be invalid).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_error: Option<String>,
    pub assertions: Vec<AssertionResult>,
}

impl TestResult {
    pub fn passed(&self) -> bool {
        self.assertions.iter().all(|a| a.pass)
    }
}

/// Finds every gator suite (a YAML file of `kind: Suite`) under `paths`.
pub fn find_suites<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<PathBuf>, PolicyError> {
    crate::input::files_under(
        paths,
        |_| Ok(true),
        |path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
                return Ok(false);
            }
            // Cheap test before parsing: suites say so in their first lines.
            Ok(read_capped(path)?.contains("kind: Suite"))
        },
    )
}

/// Runs one suite file.
pub fn run_suite(
    path: &Path,
    limits: Limits,
    engine: Engine,
) -> Result<Vec<TestResult>, PolicyError> {
    let display = path.display().to_string();
    let text = read_capped(path)?;
    let docs = crate::yaml::documents(&display, &text)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut results = Vec::new();
    for (_, suite) in docs {
        if suite.get("kind").and_then(Value::as_str) != Some("Suite") {
            continue;
        }
        let skip_suite = truthy(suite.get("skip"));
        for test in suite
            .get("tests")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            results.push(run_test(&display, dir, test, skip_suite, limits, engine));
        }
    }
    Ok(results)
}

fn run_test(
    suite: &str,
    dir: &Path,
    test: &Value,
    skip: bool,
    limits: Limits,
    engine: Engine,
) -> TestResult {
    let name = str_of(test.get("name"));
    let mut result = TestResult {
        suite: suite.to_string(),
        test: name.clone(),
        skipped: skip || truthy(test.get("skip")),
        load_error: None,
        assertions: Vec::new(),
    };
    if result.skipped {
        return result;
    }
    let cases = test
        .get("cases")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let invalid = truthy(test.get("invalid"));
    let gk = load_pair(dir, test, limits).map(|mut gk| {
        gk.set_engine(engine);
        gk
    });
    if invalid {
        // The constraint must be rejected by the template's schema.
        let (pass, error) = match &gk {
            Err(PolicyError::InvalidConstraint { .. }) => (true, None),
            Err(e) => (false, Some(e.to_string())),
            Ok(_) => (false, Some("the constraint was accepted".to_string())),
        };
        result.assertions.push(AssertionResult {
            suite: suite.to_string(),
            test: name,
            case: String::new(),
            expected: "invalid".to_string(),
            message: None,
            actual: None,
            pass,
            error,
        });
        return result;
    }
    if let Err(e) = &gk {
        result.load_error = Some(e.to_string());
    }
    for case in cases {
        let case_name = str_of(case.get("name"));
        let verdicts = gk
            .as_ref()
            .map_err(|e| e.to_string())
            .and_then(|gk| run_case(dir, gk, case).map_err(|e| e.to_string()));
        let assertions = case
            .get("assertions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        // No assertions: the case expects no violations.
        let assertions = if assertions.is_empty() {
            vec![serde_json::json!({"violations": "no"})]
        } else {
            assertions
        };
        for a in &assertions {
            result
                .assertions
                .push(check(suite, &name, &case_name, a, &verdicts));
        }
    }
    result
}

fn load_pair(dir: &Path, test: &Value, limits: Limits) -> Result<Gatekeeper, PolicyError> {
    let template = one_doc(dir, test.get("template"), "template")?;
    let constraint = one_doc(dir, test.get("constraint"), "constraint")?;
    let mut gk = Gatekeeper::default();
    gk.add_template(Template::parse(&template.0, &template.1, limits)?)?;
    gk.add_constraint(Constraint::parse(&constraint.0, &constraint.1)?)?;
    if let Some(rel) = test.get("expansion").and_then(Value::as_str) {
        for (path, doc) in docs_of(&dir.join(rel))? {
            gk.add_expansion(Expansion::parse(&path, &doc)?);
        }
    }
    Ok(gk)
}

fn one_doc(dir: &Path, rel: Option<&Value>, what: &str) -> Result<(String, Value), PolicyError> {
    let rel = rel.and_then(Value::as_str).ok_or_else(|| {
        PolicyError::parse(dir.display().to_string(), format!("test without {what}"))
    })?;
    let mut docs = docs_of(&dir.join(rel))?;
    if docs.is_empty() {
        return Err(PolicyError::parse(rel, format!("empty {what} file")));
    }
    Ok(docs.swap_remove(0))
}

fn docs_of(path: &Path) -> Result<Vec<(String, Value)>, PolicyError> {
    let display = path.display().to_string();
    let text = read_capped(path)?;
    Ok(crate::yaml::documents(&display, &text)?
        .into_iter()
        .map(|(_, d)| (display.clone(), d))
        .collect())
}

/// The messages of every violation of the case's object.
fn run_case(dir: &Path, gk: &Gatekeeper, case: &Value) -> Result<Vec<String>, PolicyError> {
    let object = case
        .get("object")
        .and_then(Value::as_str)
        .ok_or_else(|| PolicyError::parse(dir.display().to_string(), "case without object"))?;
    let mut inventory = Inventory::default();
    for rel in case
        .get("inventory")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        if let Some(rel) = rel.as_str() {
            for (_, doc) in docs_of(&dir.join(rel))? {
                inventory.add(&doc);
            }
        }
    }
    let bound = gk.bind(&inventory)?;
    let mut msgs = Vec::new();
    for (_, doc) in docs_of(&dir.join(object))? {
        let review = Review::from_document(&doc)?;
        msgs.extend(
            bound
                .review(&review, points::GATOR)?
                .into_iter()
                .map(|v| v.msg),
        );
    }
    Ok(msgs)
}

fn check(
    suite: &str,
    test: &str,
    case: &str,
    assertion: &Value,
    verdicts: &Result<Vec<String>, String>,
) -> AssertionResult {
    let expected = match assertion.get("violations") {
        None | Some(Value::Null) => "yes".to_string(),
        // A YAML 1.1 reader (Palisade's, the API server's) reads `yes`/`no` as booleans; gator
        // means the strings.
        Some(Value::Bool(true)) => "yes".to_string(),
        Some(Value::Bool(false)) => "no".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let message = assertion
        .get("message")
        .and_then(Value::as_str)
        .map(String::from);
    let mut r = AssertionResult {
        suite: suite.to_string(),
        test: test.to_string(),
        case: case.to_string(),
        expected: expected.clone(),
        message: message.clone(),
        actual: None,
        pass: false,
        error: None,
    };
    let msgs = match verdicts {
        Ok(m) => m,
        Err(e) => {
            r.error = Some(e.clone());
            return r;
        }
    };
    let filter = match message.as_deref().map(regex::Regex::new).transpose() {
        Ok(f) => f,
        Err(e) => {
            r.error = Some(format!(
                "assertion message is not a regular expression: {e}"
            ));
            return r;
        }
    };
    let actual = msgs
        .iter()
        .filter(|m| filter.as_ref().is_none_or(|f| f.is_match(m)))
        .count();
    r.actual = Some(actual);
    r.pass = match expected.as_str() {
        "yes" => actual > 0,
        "no" => actual == 0,
        n => match n.parse::<usize>() {
            Ok(n) => actual == n,
            Err(_) => {
                r.error = Some(format!("violations: {n:?} is neither yes, no nor a number"));
                false
            }
        },
    };
    if !r.pass && r.error.is_none() {
        r.error = Some(if msgs.is_empty() {
            "no violations".to_string()
        } else {
            format!("violations: {}", msgs.join(" | "))
        });
    }
    r
}

fn truthy(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true))) || matches!(v, Some(Value::String(s)) if s == "true")
}

fn str_of(v: Option<&Value>) -> String {
    v.and_then(Value::as_str).unwrap_or_default().to_string()
}
