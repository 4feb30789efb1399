//! `check --response`: relates a failed Authlete response to the request
//! that got it. The response's result code becomes one info finding of the
//! request's report, naming what the code means and which findings explain it.

use super::result_codes::{self, ResultCode};
use crate::lint::{self, FileReport, Finding};

crate::lint::declare_rules! { area: Authlete;
    /// The finding that relates a failed Authlete response to the request.
    RESULT_CODE = "authlete/result-code", Info, "Authlete API result codes",
        "What Authlete's result code means and which findings explain it";
}

/// A result code read from an Authlete response, with its entry in
/// `rules/authlete/result-codes.toml` when there is one.
#[derive(Clone, Debug)]
pub struct ResponseCode {
    code: String,
    entry: Option<&'static ResultCode>,
}

impl ResponseCode {
    /// The result code in `text`: a response (`resultCode`), or an
    /// `error_description` starting with `[A` + 6 digits + `]`.
    pub fn find(text: &str) -> Option<ResponseCode> {
        let code = super::find_result_code(text)?;
        let entry = result_codes::find(&code);
        Some(ResponseCode { code, entry })
    }

    /// The code when tokenlint's table has it.
    pub fn known(code: &str) -> Option<ResponseCode> {
        let entry = result_codes::find(code)?;
        Some(ResponseCode {
            code: code.to_owned(),
            entry: Some(entry),
        })
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    /// Adds to `report` the finding that relates this code to its findings.
    pub fn relate(&self, report: &mut FileReport) {
        let f = self.finding(&report.findings);
        report.add([f]);
    }

    /// The rules that would explain the code offline (none when it is unknown).
    fn rules(&self) -> &'static [String] {
        self.entry.map_or(&[], |e| e.rules.as_slice())
    }

    /// The info finding: the code's meaning, and `findings` that explain it,
    /// each labelled where it points.
    fn finding(&self, findings: &[Finding]) -> Finding {
        let rules = self.rules();
        let explaining: Vec<&Finding> = findings
            .iter()
            .filter(|f| rules.iter().any(|id| id == f.rule.id))
            .collect();
        let code = &self.code;
        let mut f = Finding::new(&RESULT_CODE, self.message(&explaining)).help(format!(
            "`tokenlint explain {code}` says more; fix the findings named here and send again"
        ));
        for e in explaining.iter().take(lint::MAX_LABELS) {
            if let Some(s) = e.primary_span() {
                f = f.label(s, format!("{} explains {code}", e.rule.id));
            }
        }
        f
    }

    fn message(&self, explaining: &[&Finding]) -> String {
        let code = &self.code;
        let meaning = match self.entry {
            Some(e) => e.meaning.clone(),
            None => format!(
                "not in tokenlint's table ({})",
                result_codes::category(code)
            ),
        };
        if explaining.is_empty() {
            format!(
                "Authlete answered {code}: {meaning}. No finding here explains it offline{}",
                self.unexplained()
            )
        } else {
            let ids: Vec<&str> = explaining.iter().map(|f| f.rule.id).collect();
            format!(
                "Authlete answered {code}: {meaning}. Explained by: {}",
                ids.join(", ")
            )
        }
    }

    /// Why no finding explains the code: the rules that would, or server state.
    fn unexplained(&self) -> String {
        let rules = self.rules();
        if rules.is_empty() {
            UNSEEN_STATE.to_owned()
        } else {
            format!(" (the rules that would: {})", rules.join(", "))
        }
    }
}

/// The end of the message when no rule can see the cause.
const UNSEEN_STATE: &str = ": the cause is state tokenlint cannot see (the client's \
    registration, the service's settings, an authorization code already used)";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Settings;
    use crate::request::fixture;

    /// A request whose `code_verifier` is empty.
    fn report() -> FileReport {
        let loaded = fixture::load_str(
            "r.json",
            r#"{"parameters": "grant_type=authorization_code&code=abc&code_verifier="}"#,
        );
        lint::lint(&loaded, &Settings::with_now(1_767_225_600))
    }

    #[test]
    fn names_the_findings_that_explain_a_known_code() {
        let code = ResponseCode::find(r#"{"resultCode":"A050312"}"#).unwrap();
        assert_eq!(code.code(), "A050312");
        let mut r = report();
        let before = r.findings.len();
        code.relate(&mut r);
        assert_eq!(r.findings.len(), before + 1);
        let f = r.findings.last().unwrap();
        assert_eq!(f.rule.id, "authlete/result-code");
        let message = &f.message;
        assert!(
            message.starts_with("Authlete answered A050312: "),
            "{message}"
        );
        assert!(
            message.contains("Explained by: params/empty-value"),
            "{message}"
        );
        assert_eq!(f.labels[0].text, "params/empty-value explains A050312");
    }

    #[test]
    fn an_unknown_code_is_server_state() {
        let code = ResponseCode::find("error_description: [A999399] x").unwrap();
        let mut r = report();
        code.relate(&mut r);
        let message = &r.findings.last().unwrap().message;
        assert!(
            message.contains("not in tokenlint's table (client error)"),
            "{message}"
        );
        assert!(message.ends_with(UNSEEN_STATE), "{message}");
        assert!(ResponseCode::find("nothing").is_none());
    }
}
