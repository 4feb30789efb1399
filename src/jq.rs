//! `--jq`: filters the JSON form of any output with jaq, a jq implementation
//! in Rust (the full jq language and standard library, not a subset).

use jaq_all::data::{self, Runner};
use jaq_all::json::Val;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum JqError {
    #[error("invalid jq expression `{expr}`:\n{message}")]
    Compile { expr: String, message: String },
    #[error("jq: {0}")]
    Run(String),
}

/// Runs `expr` over `input` and returns every output value. Strings are
/// returned raw (as `jq -r` prints them), everything else as JSON text.
pub fn filter(expr: &str, input: &serde_json::Value) -> Result<Vec<String>, JqError> {
    let compiled = jaq_all::compile_with(expr, jaq_all::defs(), data::base_funs(), &[]).map_err(
        // jaq's report as it renders it: the expression, a caret under the
        // position, what is wrong there (one report per problem).
        |reports| JqError::Compile {
            expr: expr.to_owned(),
            message: reports
                .iter()
                .map(|r| jaq_all::load::FileReportsDisp::new(r).to_string())
                .map(|r| r.trim_end().to_owned())
                .collect::<Vec<_>>()
                .join("\n"),
        },
    )?;
    let text = serde_json::to_vec(input).map_err(|e| JqError::Run(e.to_string()))?;
    let val = jaq_all::json::read::parse_single(&text).map_err(|e| JqError::Run(e.to_string()))?;
    let runner = Runner::default();
    let name: Val = "<output>".to_string().into();
    let mut out = Vec::new();
    data::run(
        &runner,
        &compiled,
        Default::default(),
        (&name, std::iter::once(Ok::<Val, String>(val))),
        JqError::Run,
        |v| {
            let v = jaq_all::jaq_core::unwrap_valr(v).map_err(|e| JqError::Run(e.to_string()))?;
            let compact = v.to_string();
            out.push(match serde_json::from_str::<serde_json::Value>(&compact) {
                Ok(serde_json::Value::String(s)) => s,
                Ok(j) => serde_json::to_string_pretty(&j).unwrap_or(compact),
                Err(_) => compact,
            });
            Ok(())
        },
    )?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filters_with_the_standard_library() {
        let findings = json!([{"rule": "a"}, {"rule": "b"}]);
        let v = json!({"results": [{"findings": findings}], "summary": {"errors": 2}});
        assert_eq!(filter(".summary.errors", &v).unwrap(), vec!["2"]);
        assert_eq!(
            filter(".results[].findings[].rule", &v).unwrap(),
            vec!["a", "b"]
        );
        assert_eq!(
            filter(
                "[.results[].findings[] | select(.rule == \"b\")] | length",
                &v
            )
            .unwrap(),
            vec!["1"]
        );
        assert!(matches!(filter(".[", &v), Err(JqError::Compile { .. })));
        // jaq's own report, lines and caret kept: where, and what is wrong.
        let e = filter(".summary | foo(", &v).unwrap_err().to_string();
        assert!(e.contains("\n"), "{e}");
        assert!(e.contains("unclosed delimiter"), "{e}");
        assert!(e.lines().any(|l| l.contains(".summary | foo(")), "{e}");
    }
}
