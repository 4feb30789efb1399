//! `params/`: the form body itself (RFC 6749 Appendix B encoding, §3.2
//! repetition and empty values) and the syntax of parameters any grant may
//! carry (`scope`, `resource`).
//!
//! One file per concern: `encoding` (Appendix B), `repetition` (§3.2),
//! `scope`, `resource` and `plus` (a raw `+` in a credential). The findings'
//! prose is in `diags`.

mod diags;
mod encoding;
mod plus;
mod repetition;
mod resource;
mod scope;
mod split;

use crate::lint::{Context, Sink};

/// The `Params` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    hooks: crate::lint::rules::Hooks::NONE,
    area: crate::lint::Area::Params,
    rules: &[
        encoding::RULES,
        repetition::RULES,
        scope::RULES,
        resource::RULES,
        plus::RULES,
        split::RULES,
    ],
    check,
};

pub fn check(cx: &Context, sink: &mut Sink) {
    if cx.req.parameters.is_none() {
        return;
    }
    encoding::check(cx, sink);
    repetition::check_duplicates(cx, sink);
    repetition::check_empty(cx, sink);
    split::check(cx, sink);
    // A value that is not UTF-8 has no sub-spans to point at, and one with a
    // bad escape is reported already: the value checks skip what they must.
    let faults = encoding::ValueFaults::of(cx);
    for (i, p) in cx.form.pairs.iter().enumerate() {
        if p.value.is_empty() {
            continue;
        }
        match p.name.as_str() {
            "scope" if faults.is_utf8(i) => scope::check(cx, p, sink),
            "resource" if faults.is_utf8(i) => {
                resource::check(cx, p, faults.has_bad_escape(i), sink)
            }
            n if plus::applies(n) => plus::check(cx, p, sink),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::{lint, Settings};
    use crate::request::fixture;

    fn rules_for(params: &str) -> Vec<&'static str> {
        let body = serde_json::json!({ "parameters": params }).to_string();
        crate::lint::rule_ids(&body, &Settings::with_now(1_767_225_600), "params/")
    }

    #[test]
    fn appendix_b_vector_raises_nothing() {
        // RFC 6749 App. B: " %&+£€" encodes as "+%25%26%2B%C2%A3%E2%82%AC".
        assert!(
            rules_for("grant_type=client_credentials&parameter=+%25%26%2B%C2%A3%E2%82%AC")
                .is_empty()
        );
        assert!(
            rules_for("grant_type=password&username=j%C3%BCrgen&password=%E2%82%AC%2B1").is_empty()
        );
    }

    #[test]
    fn encoding_rules() {
        assert_eq!(
            rules_for("grant_type=client_credentials&x=%zz"),
            ["params/bad-percent-encoding"]
        );
        assert_eq!(
            rules_for("grant_type=client_credentials&x=a b"),
            ["params/unescaped-character"]
        );
        assert_eq!(
            rules_for("grant_type=client_credentials&x=caf%E9"),
            ["params/invalid-utf8"]
        );
        assert_eq!(
            rules_for("grant_type=client_credentials&client_secret=a+b"),
            ["params/plus-as-space"]
        );
        assert!(rules_for("grant_type=client_credentials&client_secret=a%2Bb%20c").is_empty());
    }

    #[test]
    fn repeats_and_resources() {
        const TWO_RESOURCES: &str = concat!(
            "grant_type=client_credentials",
            "&resource=https%3A%2F%2Fa.example%2F&resource=https%3A%2F%2Fb.example%2F"
        );
        const TWO_AUDIENCES: &str = concat!(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange",
            "&audience=a&audience=b"
        );
        assert_eq!(
            rules_for("grant_type=client_credentials&scope=a&scope=b"),
            ["params/duplicate"]
        );
        assert!(rules_for(TWO_RESOURCES).is_empty());
        assert_eq!(
            rules_for("grant_type=client_credentials&audience=a&audience=b"),
            ["params/duplicate"]
        );
        assert!(rules_for(TWO_AUDIENCES).is_empty());
        assert_eq!(
            rules_for("grant_type=client_credentials&resource=api.example.com"),
            ["params/resource-invalid"]
        );
        assert_eq!(
            rules_for("grant_type=client_credentials&resource=https%3A%2F%2Fa%2F%23"),
            ["params/resource-invalid"]
        );
        assert_eq!(
            rules_for("grant_type=client_credentials&resource=https%3A%2F%2Fa%2F%3Fx%3D1"),
            ["params/resource-query"]
        );
    }

    proptest::proptest! {
        /// Any body, built from the pieces that trip decoders, lints without
        /// a panic and with every label inside the input.
        #[test]
        fn no_panic_and_labels_in_bounds(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "grant_type=", "authorization_code", "client_credentials", "refresh_token",
                    "&", "=", "scope=", "resource=", "redirect_uri=", "client_secret=", "code=",
                    "actor_token=", "%", "%2", "%zz", "%C3", "%A9", "%E2%82%AC", "%FC", "+", " ",
                    "é", "€", "\"", "#", "%23", "%3A%2F%2F", "https", "://", "[", "]", "?", "x",
                    "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3A", "\\", "\t",
                ]),
                0..24,
            )
        ) {
            let params: String = parts.concat();
            let body = serde_json::json!({ "parameters": params }).to_string();
            let loaded = fixture::load_str("t.json", &body);
            let report = lint(&loaded, &Settings::with_now(1_767_225_600));
            for f in &report.findings {
                for l in &f.labels {
                    proptest::prop_assert!(
                        l.span.end() <= loaded.source.text.len(),
                        "{}: {:?}",
                        f.rule.id,
                        l
                    );
                }
            }
        }
    }
}
