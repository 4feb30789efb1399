//! What a finding says, for the fixtures whose point is the wording: the
//! occurrence of a duplicated member a check speaks of, a NumericDate given
//! in milliseconds, the consequence of a value split by a raw `&`, a field
//! that is null. Each case names a fixture under `testdata/`, a rule it
//! raises, and words the finding's message (or its decoded view's labels)
//! must hold; and words it must not.

use tokenlint::lint::{self, FileReport};
use tokenlint::request::fixture;

struct Case {
    fixture: &'static str,
    rule: &'static str,
    says: &'static [&'static str],
    never: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        fixture: "bad/dpop-duplicate-member-last-wins.json",
        rule: "dpop/typ",
        says: &["`typ` is \"JWT\""],
        never: &[],
    },
    Case {
        fixture: "bad/dpop-duplicate-member-last-wins.json",
        rule: "dpop/duplicate-member",
        says: &["again here (the one checked)"],
        never: &[],
    },
    Case {
        fixture: "bad/dpop-iat-milliseconds.json",
        rule: "dpop/iat-out-of-window",
        says: &["looks like milliseconds", "divide it by 1000"],
        never: &[],
    },
    Case {
        fixture: "bad/input-null-parameters.json",
        rule: "input/wrong-type",
        says: &[
            "`parameters` is null",
            "a string",
            "reads null as \"not given\"",
        ],
        never: &[],
    },
    Case {
        fixture: "bad/params-split-value-client-secret.json",
        rule: "params/split-value",
        says: &["ends `client_secret` early", "invalid_client"],
        never: &["Br1KtDRbnfVdmIw"],
    },
    Case {
        fixture: "bad/params-split-value-redirect-uri.json",
        rule: "params/split-value",
        says: &["`lang=en`", "invalid_grant"],
        never: &[],
    },
    Case {
        fixture: "bad/dpop-alg-ed25519.json",
        rule: "dpop/alg-not-allowed",
        says: &["sign the proof with \"alg\": \"EdDSA\" for this server"],
        never: &[],
    },
    Case {
        fixture: "bad/client-auth-assertion-forged-hs256-kid.json",
        rule: "jwt/kid-unknown",
        says: &["\"../../dev/null\"", "client-rsa-2025", "a file path"],
        never: &[],
    },
    Case {
        fixture: "bad/client-auth-assertion-forged-hs256.json",
        rule: "client-auth/assertion-alg",
        says: &["holds only RSA keys", "whatever the `kid`"],
        never: &[],
    },
    Case {
        fixture: "bad/dpop-jwk-rsa-e1.json",
        rule: "dpop/jwk-invalid",
        says: &["exponent is 1", "anyone can forge"],
        never: &[],
    },
    Case {
        fixture: "bad/client-auth-assertion-jwks-e1.json",
        rule: "client-auth/assertion-signature",
        says: &["exponent is 1"],
        never: &[],
    },
    Case {
        fixture: "bad/dpop-jwk-key-ops-encrypt.json",
        rule: "dpop/jwk-alg-mismatch",
        says: &["without \"verify\"", "node-oidc-provider"],
        never: &[],
    },
];

fn lint_fixture(rel: &str) -> FileReport {
    let path = crate::common::root().join("testdata").join(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let loaded = fixture::load_bytes(rel, &bytes);
    lint::lint(&loaded, &crate::fixtures::settings_for(rel))
}

/// The finding's message, help and every label text, source and decoded.
fn words(f: &lint::Finding) -> String {
    let mut out = vec![f.message.clone(), f.help.clone().unwrap_or_default()];
    out.extend(f.labels.iter().map(|l| l.text.clone()));
    if let Some(d) = &f.decoded {
        out.extend(d.labels.iter().map(|l| l.text.clone()));
    }
    out.join("\n")
}

#[test]
fn findings_say_what_their_fixture_is_about() {
    let mut problems = Vec::new();
    for c in CASES {
        let report = lint_fixture(c.fixture);
        let found: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.rule.id == c.rule)
            .map(words)
            .collect();
        if found.is_empty() {
            problems.push(format!("{}: no {} finding", c.fixture, c.rule));
            continue;
        }
        let all = found.join("\n");
        for s in c.says {
            if !all.contains(s) {
                problems.push(format!(
                    "{}: {} does not say {s:?}:\n{all}",
                    c.fixture, c.rule
                ));
            }
        }
        for s in c.never {
            if all.contains(s) {
                problems.push(format!("{}: {} says {s:?}:\n{all}", c.fixture, c.rule));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Every message and help over the fixtures is one line of single-spaced
/// prose: a run of spaces inside it (a string continued over source lines
/// without its `\`) shows in every format and split
/// `application/x-www-form-urlencoded` in two.
#[test]
fn messages_are_single_spaced() {
    let mut seen = 0;
    for profile in [&[][..], &["--profile", "all"]] {
        let mut args = vec!["check", "testdata", "-o", "json"];
        args.extend_from_slice(profile);
        let o = crate::common::run(&args);
        let doc = crate::common::json(&o);
        for r in doc["results"].as_array().expect("results") {
            for f in r["findings"].as_array().expect("findings") {
                for key in ["message", "help"] {
                    let Some(text) = f[key].as_str() else {
                        continue;
                    };
                    seen += 1;
                    let spaced = text.trim().split(' ').any(str::is_empty);
                    assert!(
                        !spaced && !text.contains(['\n', '\t']),
                        "{} {key}: {text:?}",
                        f["rule"]
                    );
                }
            }
        }
    }
    assert!(seen > 1000, "only {seen} texts");
}
