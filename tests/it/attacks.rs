//! The RFC 8725 attack corpus (`testdata/attacks/`, written by
//! `cargo xtask attack-testdata`): every fixture must raise,
//! at error severity, the rule `manifest.json` names for it.

use tokenlint::lint::{self, Settings, Severity};
use tokenlint::request::fixture;

use crate::common::root;

fn settings() -> Settings {
    let mut s = Settings::with_now(1767225600);
    let jwks =
        |p: &str| serde_json::from_str(&std::fs::read_to_string(root().join(p)).unwrap()).unwrap();
    s.issuer = Some("https://as.example.com".into());
    s.token_endpoint = Some("https://as.example.com/token".into());
    s.client_jwks = Some(jwks("testdata/assertion/client.jwks.json"));
    s.attester_jwks = Some(jwks("testdata/attestation/attester.jwks.json"));
    s.attestation_challenge = Some("ch-7Hq2vXw9".into());
    s
}

#[test]
fn every_attack_raises_its_error() {
    let dir = root().join("testdata/attacks");
    let manifest: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert!(
        manifest.len() >= 27,
        "the corpus has {} fixtures",
        manifest.len()
    );
    let settings = settings();
    let mut problems = Vec::new();
    for (file, rule) in &manifest {
        let rule = rule.as_str().unwrap();
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let report = lint::lint(&fixture::load_bytes(file, &bytes), &settings);
        let hit = report
            .findings
            .iter()
            .any(|f| f.rule.id == rule && f.severity == Severity::Error);
        if !hit {
            let found: Vec<String> = report
                .findings
                .iter()
                .map(|f| format!("{} ({})", f.rule.id, f.severity))
                .collect();
            problems.push(format!(
                "{file}: no {rule} error; found {}",
                found.join(", ")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
