//! Every rule's documentation is a test: `rules/<area>/<name>.md` must exist
//! for every rule in the registry (and only for those), its front matter must
//! agree with the code, and every ```` ```json fail ```` example must raise
//! exactly that rule while every ```` ```json pass ```` example must not.

use std::collections::BTreeSet;

use tokenlint::lint::{self, docs, Settings};
use tokenlint::request::fixture;

/// The clock examples run at unless they say `now=…`: 2026-01-01T00:00:00Z.
const DEFAULT_NOW: i64 = 1_767_225_600;

#[test]
fn registry_and_docs_name_the_same_rules() {
    let code: BTreeSet<&str> = lint::registry().iter().map(|r| r.id).collect();
    let docs: BTreeSet<&str> = docs::all().iter().map(|d| d.id).collect();
    let missing: Vec<_> = code.difference(&docs).collect();
    let extra: Vec<_> = docs.difference(&code).collect();
    assert!(
        missing.is_empty(),
        "rules without a doc under rules/: {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "docs under rules/ for no rule in the registry: {extra:?}"
    );
    assert_eq!(
        code.len(),
        lint::registry().len(),
        "a rule id is declared twice"
    );
}

#[test]
fn front_matter_agrees_with_the_code() {
    let mut problems = Vec::new();
    for rule in lint::registry() {
        let Some(doc) = docs::find(rule.id) else {
            continue;
        };
        if doc.get("id") != Some(rule.id) {
            problems.push(format!(
                "{}: front matter id is {:?}",
                rule.id,
                doc.get("id")
            ));
        }
        if doc.get("severity") != Some(rule.severity.as_str()) {
            problems.push(format!(
                "{}: doc says severity {:?}, code says {}",
                rule.id,
                doc.get("severity"),
                rule.severity
            ));
        }
        if doc.get("spec") != Some(rule.spec) {
            problems.push(format!(
                "{}: doc says spec {:?}, code says {:?}",
                rule.id,
                doc.get("spec"),
                rule.spec
            ));
        }
        for section in ["## Why", "## How to fix", "## Examples"] {
            if !doc.body.contains(section) {
                problems.push(format!("{}: no `{section}` section", rule.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn settings_for(attrs: &[(String, String)]) -> Settings {
    let mut s = Settings::with_now(DEFAULT_NOW);
    for (k, v) in attrs {
        match k.as_str() {
            "now" => s.now = tokenlint::clock::parse_now(v).expect("now= in a doc example"),
            "token-endpoint" => s.token_endpoint = Some(v.clone()),
            "profile" => s.profile = Some(v.clone()),
            "issuer" => s.issuer = Some(v.clone()),
            "attestation-challenge" => s.attestation_challenge = Some(v.clone()),
            // Inline compact JSON (no spaces): the JWKS the example verifies with.
            "client-jwks" => {
                s.client_jwks = Some(serde_json::from_str(v).expect("client-jwks JSON"))
            }
            "assertion-jwks" => {
                s.assertion_jwks = Some(serde_json::from_str(v).expect("assertion-jwks JSON"))
            }
            "attester-jwks" => {
                s.attester_jwks = Some(serde_json::from_str(v).expect("attester-jwks JSON"))
            }
            "expect-errors" => s.expect_errors = v == "true",
            // What a capture cannot say about the server.
            "dpop-nonce-required" => s.dpop_nonce_required = Some(v == "true"),
            "dpop-algs" => s.dpop_algs = Some(v.split(',').map(str::to_owned).collect()),
            "encoding" | "fill" => {}
            // Small size limits, so examples stay short.
            "max-field" => s.limits.field = v.parse().expect("max-field= a number"),
            "max-jws" => s.limits.jws = v.parse().expect("max-jws= a number"),
            "max-pem" => s.limits.pem = v.parse().expect("max-pem= a number"),
            "max-findings-per-rule" => {
                s.limits.findings_per_rule = v.parse().expect("max-findings-per-rule= a number");
            }
            "max-findings" => {
                s.limits.findings_per_input = v.parse().expect("max-findings= a number");
            }
            "max-path" => s.limits.path = v.parse().expect("max-path= a number"),
            other => panic!("unknown example attribute {other}"),
        }
    }
    s
}

#[test]
fn every_example_behaves_as_documented() {
    let mut problems = Vec::new();
    for rule in lint::registry() {
        let Some(doc) = docs::find(rule.id) else {
            continue;
        };
        let examples = docs::examples(doc.body);
        if !examples.iter().any(|e| e.fail) || !examples.iter().any(|e| !e.fail) {
            problems.push(format!(
                "{}: needs at least one failing and one passing example",
                rule.id
            ));
        }
        // Lint every example of the doc first, then check across them (a
        // DPoP jti used twice is a replay), as `tokenlint check` does.
        let mut linted = Vec::new();
        for mut ex in examples {
            let name = format!("rules/{}.md:{}", rule.id, ex.line);
            // `fill=N`: `@FILL@` stands for N base64 characters, so an example
            // that must be huge stays readable in the doc.
            if let Some((_, n)) = ex.attrs.iter().find(|(k, _)| k == "fill") {
                let n: usize = n.parse().expect("fill=<number>");
                let filler: String = "QUJD".chars().cycle().take(n).collect();
                ex.text = ex.text.replace("@FILL@", &filler);
            }
            let loaded = match ex.attrs.iter().find(|(k, _)| k == "encoding") {
                Some((_, enc)) if enc == "latin1" => {
                    let bytes: Vec<u8> = ex
                        .text
                        .chars()
                        .map(|c| u8::try_from(u32::from(c)).expect("latin1 text"))
                        .collect();
                    fixture::load_bytes(&name, &bytes)
                }
                Some((_, enc)) => panic!("{name}: unknown encoding {enc}"),
                None if ex.lang == "http" => tokenlint::request::http::load_str(&name, &ex.text),
                None => fixture::load_str(&name, &ex.text),
            };
            let settings = settings_for(&ex.attrs);
            let report = lint::lint(&loaded, &settings);
            linted.push((ex, name, loaded, report, settings));
        }
        lint::cross_check(
            linted.iter_mut().map(|(_, _, _, r, _)| r),
            &Settings::with_now(DEFAULT_NOW),
        );
        // As `check` does after the cross-input checks: `expect-errors`.
        for (_, _, _, report, settings) in &mut linted {
            lint::apply_expectation(report, settings);
        }
        for (ex, name, loaded, report, _) in linted {
            let fired = report.findings.iter().any(|f| f.rule.id == rule.id);
            if ex.fail && !fired {
                let got: Vec<_> = report.findings.iter().map(|f| f.rule.id).collect();
                problems.push(format!(
                    "{name}: failing example does not raise {} (raised: {got:?})",
                    rule.id
                ));
            }
            if !ex.fail && fired {
                let msgs: Vec<_> = report
                    .findings
                    .iter()
                    .filter(|f| f.rule.id == rule.id)
                    .map(|f| f.message.clone())
                    .collect();
                problems.push(format!(
                    "{name}: passing example raises {}: {msgs:?}",
                    rule.id
                ));
            }
            // A finding must point inside the input.
            for f in &report.findings {
                for l in &f.labels {
                    if l.span.end() > loaded.source.text.len() {
                        problems.push(format!(
                            "{name}: {} label {:?} is past the end",
                            f.rule.id, l.span
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Servers, SDKs and libraries a rule doc may say something about.
const NAMED: &[&str] = &[
    "Authlete",
    "Keycloak",
    "node-oidc-provider",
    "Spring",
    "Nimbus",
    "SDK",
    "Okta",
    "Auth0",
    "Hydra",
    "Duende",
    "IdentityServer",
    "Cognito",
    "oauthlib",
    "Logto",
    "oauth4webapi",
    "Jackson",
    "Gson",
    "josekit",
];

/// Whether a paragraph says where its claims can be checked: a source file
/// (`dir/file.ext`), an issue (`owner/repo#12`), a URL or a commit, a
/// version, a result code (with its source in `result-codes.toml`), the
/// profiles' sources, the differential suite's measurement, or that the
/// reading is tokenlint's own (or that the server documents nothing).
fn is_cited(p: &str) -> bool {
    const PHRASES: &[&str] = &[
        "https://",
        "commit ",
        "tokenlint's reading",
        "tokenlint's own reading",
        "not documented",
        "documents no",
        "documents neither",
        "is not public",
        "profiles.toml",
        "result-codes.toml",
        "measured",
    ];
    const SOURCE_EXT: &[&str] = &[
        ".java", ".js", ".ts", ".go", ".py", ".rs", ".yaml", ".md", ".toml", ".kt", ".cs",
    ];
    let tokens = p.split(|c: char| c.is_whitespace() || "`()[],;\"'".contains(c));
    PHRASES.iter().any(|m| p.contains(m))
        || tokens.into_iter().any(|t| {
            let t = t.trim_end_matches([':', '.']);
            let path = t.contains('/') && SOURCE_EXT.iter().any(|e| t.ends_with(e));
            let issue = t.split_once('#').is_some_and(|(repo, n)| {
                repo.contains('/') && n.bytes().all(|b| b.is_ascii_digit()) && !n.is_empty()
            });
            let version = !t.starts_with('§')
                && t.split_once('.').is_some_and(|(a, b)| {
                    !a.is_empty()
                        && a.bytes().all(|c| c.is_ascii_digit())
                        && (b == "x" || b.bytes().next().is_some_and(|c| c.is_ascii_digit()))
                });
            let code =
                t.len() == 7 && t.starts_with('A') && t[1..].bytes().all(|b| b.is_ascii_digit());
            path || issue || version || code
        })
}

/// Every claim a rule doc makes about a server or an SDK can be checked
/// (issue 18 item 10): each paragraph naming one cites its source or says
/// the reading is tokenlint's own. An example's caption is checked by the
/// example itself when the example runs under that server's profile.
#[test]
fn claims_about_servers_and_sdks_cite_their_source() {
    let mut uncited = Vec::new();
    for doc in docs::all() {
        let paragraphs = paragraphs(doc.body);
        for (i, (p, next_fence)) in paragraphs.iter().enumerate() {
            let p = p.split_whitespace().collect::<Vec<_>>().join(" ");
            let caption =
                p.ends_with(':') && next_fence.as_ref().is_some_and(|f| f.contains("profile="));
            // A table cites its sources in the paragraph after it.
            let sources_after = p.starts_with('|')
                && paragraphs
                    .get(i + 1)
                    .is_some_and(|(n, _)| n.starts_with("Sources:") && is_cited(n));
            let names = NAMED.iter().any(|n| p.contains(n));
            if names && !caption && !sources_after && !is_cited(&p) {
                uncited.push(format!("{}: {p}", doc.id));
            }
        }
    }
    assert!(
        uncited.is_empty(),
        "{} paragraphs name a server or SDK without a checkable source or \
         \"tokenlint's reading\":\n{}",
        uncited.len(),
        uncited.join("\n\n")
    );
}

/// A doc's paragraphs outside code fences, each with the info string of the
/// fence that directly follows it (blank lines between), if one does.
fn paragraphs(body: &str) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    let mut text = String::new();
    let mut in_fence = false;
    // Whether the last paragraph pushed is still the last block.
    let mut open_for_fence = false;
    for line in body.lines() {
        if let Some(info) = line.trim_start().strip_prefix("```") {
            if !in_fence {
                if !text.trim().is_empty() {
                    out.push((std::mem::take(&mut text), None));
                    open_for_fence = true;
                }
                text.clear();
                if open_for_fence {
                    if let Some(last) = out.last_mut() {
                        last.1 = Some(info.to_owned());
                    }
                }
            }
            in_fence = !in_fence;
            open_for_fence = false;
            continue;
        }
        if in_fence {
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            if !text.trim().is_empty() {
                out.push((std::mem::take(&mut text), None));
                open_for_fence = !line.starts_with('#');
            } else if line.starts_with('#') {
                open_for_fence = false;
            }
            text.clear();
            continue;
        }
        open_for_fence = false;
        text.push_str(line);
        text.push('\n');
    }
    if !text.trim().is_empty() {
        out.push((text, None));
    }
    out
}
