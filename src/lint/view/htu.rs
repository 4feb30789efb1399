//! The DPoP `htu` claim against the request's target URI: parsing (an
//! absolute http(s) URI), RFC 3986 §6.2.2/§6.2.3 normalization (via
//! `fluent-uri`, plus "empty path is `/`" for http(s)), the ways real servers
//! compare (normalized, exact string, `java.net.URI.equals`), and a precise
//! hint when the two differ.

use fluent_uri::Uri;

/// How a server compares `htu` with the URI it received the request at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HtuCompare {
    /// RFC 3986 §6.2.2 + §6.2.3 on both sides (RFC 9449 §4.3 SHOULD;
    /// node-oidc-provider's WHATWG URL comparison).
    Normalized,
    /// The strings must be identical (Nimbus, Spring).
    Exact,
    /// `java.net.URI.equals` (Keycloak): scheme and host ignore case, and so
    /// do the hex digits of percent-escapes; no default-port or dot-segment
    /// normalization.
    JavaUri,
    /// Both sides parsed by the WHATWG URL Standard, query and fragment
    /// cleared, and the hrefs compared (node-oidc-provider): it fixes up
    /// `http:host/x`, backslashes, surrounding spaces, tabs and newlines,
    /// IPv4 forms and a port's leading zeros, but never decodes `%XX`.
    Whatwg,
}

/// Where the parts of an absolute http(s) URI are (byte ranges of the string).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HtuParts {
    /// The query with its `?`, if any.
    pub query: Option<std::ops::Range<usize>>,
    /// The fragment with its `#`, if any.
    pub fragment: Option<std::ops::Range<usize>>,
}

/// Parses `s` as an absolute `http`/`https` URI with a host.
pub fn parse(s: &str) -> Result<HtuParts, String> {
    let uri = Uri::parse(s).map_err(|e| {
        if !s.contains(':') {
            "it has no scheme: htu must be an absolute URI such as https://as.example.com/token"
                .to_owned()
        } else {
            format!("it is not a valid URI ({e})")
        }
    })?;
    let scheme = uri.scheme().as_str();
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return Err(format!(
            "its scheme is `{scheme}`; the target of an HTTP request is an http or https URI"
        ));
    }
    match uri.authority() {
        Some(a) if !a.host().is_empty() => {}
        _ => return Err("it has no host".into()),
    }
    let query = uri.query().map(|q| {
        let end = q.as_str().as_ptr() as usize - s.as_ptr() as usize + q.as_str().len();
        let start = end - q.as_str().len() - 1;
        start..end
    });
    let fragment = uri.fragment().map(|f| {
        let end = s.len();
        end - f.as_str().len() - 1..end
    });
    Ok(HtuParts { query, fragment })
}

/// Where the query and fragment of an http(s) URL that only the WHATWG URL
/// parser accepts (`http:host/x`, backslashes, spaces around it) are.
pub fn whatwg_parts(s: &str) -> Option<HtuParts> {
    let u = url::Url::parse(s).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    let fragment = s.find('#');
    let before = fragment.unwrap_or(s.len());
    let query = s[..before].find('?').map(|q| q..before);
    Some(HtuParts {
        query,
        fragment: fragment.map(|f| f..s.len()),
    })
}

/// The WHATWG URL Standard's href of `s` without query and fragment, as
/// node-oidc-provider compares `htu` (`URL.parse`, then `search` and `hash`
/// cleared).
pub fn whatwg_href(s: &str) -> Option<String> {
    let mut u = url::Url::parse(s).ok()?;
    u.set_query(None);
    u.set_fragment(None);
    Some(u.into())
}

/// Removes the query and fragment (what RFC 9449 §4.3 (9) ignores).
pub fn strip_query(s: &str) -> &str {
    let end = s.find(['?', '#']).unwrap_or(s.len());
    &s[..end]
}

/// RFC 3986 §6.2.2 (case, percent-encoding, dot segments) and §6.2.3 (default
/// port, empty path → `/`) normalization, query and fragment dropped.
pub fn normalize(s: &str) -> Option<String> {
    let uri = Uri::parse(strip_query(s)).ok()?;
    let n = uri.normalize();
    let mut out = n.as_str().to_owned();
    if n.path().as_str().is_empty() {
        out.push('/');
    }
    Some(out)
}

fn java_uri_form(s: &str) -> Option<String> {
    let uri = Uri::parse(strip_query(s)).ok()?;
    let auth = uri.authority()?;
    let mut out = uri.scheme().as_str().to_ascii_lowercase();
    out.push_str("://");
    if let Some(u) = auth.userinfo() {
        out.push_str(u.as_str());
        out.push('@');
    }
    out.push_str(&auth.host().to_ascii_lowercase());
    if let Some(p) = auth.port() {
        out.push(':');
        out.push_str(p.as_str());
    }
    // Upper-case the hex digits of escapes in the path.
    let path = uri.path().as_str();
    let b = path.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 3 <= b.len() {
            out.push('%');
            out.push_str(&path[i + 1..i + 3].to_ascii_uppercase());
            i += 3;
        } else {
            let c = path[i..].chars().next().unwrap_or('\u{fffd}');
            out.push(c);
            i += c.len_utf8().max(1);
        }
    }
    Some(out)
}

/// The result of comparing `htu` with the target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// Equal as the server compares them, and already in normal form.
    Equal,
    /// Equal as the server compares them, but only after normalization.
    EqualAfterNormalization { claim: String, target: String },
    /// Different; the hint says how.
    Differs { hint: String },
}

/// Compares the `htu` claim with the target URI as a server using `mode`
/// would (query and fragment of the claim ignored when `strip_query`).
pub fn compare(claim: &str, target: &str, mode: HtuCompare, strip: bool) -> Comparison {
    let claim_c = if strip { strip_query(claim) } else { claim };
    let target_c = strip_query(target);
    let n_claim = normalize(claim_c);
    let n_target = normalize(target_c);
    let same_normalized =
        n_claim.is_some() && n_claim == n_target && claim_c.len() == strip_query(claim_c).len();
    let equal = match mode {
        HtuCompare::Exact => claim_c == target_c,
        HtuCompare::Normalized => same_normalized,
        HtuCompare::JavaUri => {
            claim_c.len() == strip_query(claim_c).len()
                && java_uri_form(claim_c).is_some()
                && java_uri_form(claim_c) == java_uri_form(target_c)
        }
        HtuCompare::Whatwg => {
            let c = whatwg_href(claim_c);
            c.is_some() && c == whatwg_href(target_c)
        }
    };
    if equal {
        if claim_c != target_c {
            return Comparison::EqualAfterNormalization {
                claim: claim_c.to_owned(),
                target: target_c.to_owned(),
            };
        }
        return Comparison::Equal;
    }
    Comparison::Differs {
        hint: hint(claim_c, target_c, same_normalized, mode),
    }
}

/// The normalized components of an http(s) URI that a hint names.
struct Components {
    scheme: String,
    host: String,
    /// The explicit port, else the scheme's default.
    port: u16,
    /// Whether the URI writes its port.
    explicit_port: bool,
    path: String,
}

fn components(s: &str) -> Option<Components> {
    let n = normalize(s)?;
    let uri = Uri::parse(n.as_str()).ok()?;
    let auth = uri.authority()?;
    let scheme = uri.scheme().as_str().to_owned();
    let default = if scheme == "https" { 443 } else { 80 };
    let explicit = auth.port().and_then(|p| p.as_str().parse::<u16>().ok());
    Some(Components {
        scheme,
        host: auth.host().to_owned(),
        port: explicit.unwrap_or(default),
        explicit_port: explicit.is_some(),
        path: uri.path().as_str().to_owned(),
    })
}

/// How `claim` differs from `target`, and what usually causes it.
fn hint(claim: &str, target: &str, same_normalized: bool, mode: HtuCompare) -> String {
    if same_normalized {
        return same_uri_hint(target, mode);
    }
    if claim.contains('?') || claim.contains('#') {
        return "the claim has a query or fragment, which this server does not ignore".into();
    }
    let hints = match (components(claim), components(target)) {
        (Some(c), Some(t)) => differences(&c, &t),
        _ => Vec::new(),
    };
    if hints.is_empty() {
        format!("the target is `{target}`")
    } else {
        hints.join("; ")
    }
}

/// The two are one URI, but this server does not normalize as RFC 3986 does.
fn same_uri_hint(target: &str, mode: HtuCompare) -> String {
    let who = match mode {
        HtuCompare::Exact => "this server compares the strings exactly",
        HtuCompare::JavaUri => {
            "this server (java.net.URI.equals) does not drop default ports or resolve dot \
            segments"
        }
        HtuCompare::Whatwg => {
            "this server (the WHATWG URL parser) does not decode percent-encoded characters \
            or apply RFC 3986 normalization beyond its own"
        }
        HtuCompare::Normalized => "they differ",
    };
    format!(
        "the two are the same URI after RFC 3986 normalization, but {who}: write htu exactly \
        as `{target}`"
    )
}

/// One hint per component that differs.
fn differences(c: &Components, t: &Components) -> Vec<String> {
    let mut hints = Vec::new();
    if c.scheme != t.scheme {
        hints.push(format!(
            "the scheme differs ({} vs {}): a TLS-terminating proxy in front of the server \
            often makes one side see http; configure X-Forwarded-Proto or the server's public \
            URL",
            c.scheme, t.scheme
        ));
    }
    if c.host != t.host {
        hints.push(format!(
            "the host differs ({} vs {}): the client must use the server's public host name \
            (behind a proxy, forward the Host / X-Forwarded-Host header)",
            c.host, t.host
        ));
    }
    // Two schemes' default ports differ by definition: that is the scheme's
    // hint, not a port of its own.
    let defaults_only = c.scheme != t.scheme && !c.explicit_port && !t.explicit_port;
    if c.port != t.port && !defaults_only {
        hints.push(format!("the port differs ({} vs {})", c.port, t.port));
    }
    if c.path != t.path {
        hints.push(path_hint(&c.path, &t.path));
    }
    hints
}

fn path_hint(claim: &str, target: &str) -> String {
    if claim.trim_end_matches('/') == target.trim_end_matches('/') {
        return format!(
            "only a trailing slash differs (`{claim}` vs `{target}`): these are different URIs \
            and no server strips it"
        );
    }
    if !target.ends_with(claim) && !claim.ends_with(target) {
        return format!("the path differs (`{claim}` vs `{target}`)");
    }
    let (long, short) = if target.len() > claim.len() {
        (target, claim)
    } else {
        (claim, target)
    };
    let prefix = &long[..long.len() - short.len()];
    format!(
        "the paths differ by the prefix `{prefix}` (`{claim}` vs `{target}`): a reverse proxy \
        or mount path adds or removes it; the proof must name the URL the client calls, and \
        the server must know its public path"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_follows_rfc3986() {
        assert_eq!(
            normalize("HTTPS://Server.Example.COM:443").as_deref(),
            Some("https://server.example.com/")
        );
        assert_eq!(
            normalize("http://a.example:80/x/./y/../t%7e%2f").as_deref(),
            Some("http://a.example/x/t~%2F")
        );
        // fluent-uri drops only the scheme's own default port.
        assert_eq!(
            normalize("https://a.example:80/").as_deref(),
            Some("https://a.example:80/")
        );
        assert_eq!(
            normalize("http://a.example:443/").as_deref(),
            Some("http://a.example:443/")
        );
        assert_eq!(
            normalize("https://a.example:/t").as_deref(),
            Some("https://a.example/t")
        );
    }

    #[test]
    fn compares_like_the_servers() {
        use Comparison::*;
        let t = "https://as.example.com/token";
        assert_eq!(compare(t, t, HtuCompare::Exact, false), Equal);
        assert!(matches!(
            compare(
                "https://AS.example.com:443/token",
                t,
                HtuCompare::Normalized,
                false
            ),
            EqualAfterNormalization { .. }
        ));
        assert!(matches!(
            compare(
                "https://AS.example.com:443/token",
                t,
                HtuCompare::Exact,
                false
            ),
            Differs { .. }
        ));
        assert!(matches!(
            compare(
                "https://AS.example.com/token",
                t,
                HtuCompare::JavaUri,
                false
            ),
            EqualAfterNormalization { .. }
        ));
        assert!(matches!(
            compare(
                "https://as.example.com:443/token",
                t,
                HtuCompare::JavaUri,
                false
            ),
            Differs { .. }
        ));
        assert_eq!(
            compare(
                "https://as.example.com/token?x=1",
                t,
                HtuCompare::Normalized,
                true
            ),
            Equal
        );
        assert!(matches!(
            compare(
                "https://as.example.com/token?x=1",
                t,
                HtuCompare::Normalized,
                false
            ),
            Differs { .. }
        ));
    }

    #[test]
    fn hints_say_what_differs() {
        use Comparison::*;
        let t = "https://as.example.com/token";
        let Differs { hint } = compare(
            "https://as.example.com/token/",
            t,
            HtuCompare::Normalized,
            false,
        ) else {
            panic!()
        };
        assert!(hint.contains("trailing slash"), "{hint}");
        let Differs { hint } = compare(
            "https://as.example.com/auth/token",
            t,
            HtuCompare::Normalized,
            false,
        ) else {
            panic!()
        };
        assert!(hint.contains("prefix `/auth`"), "{hint}");
        let Differs { hint } = compare(
            "http://as.example.com/token",
            t,
            HtuCompare::Normalized,
            false,
        ) else {
            panic!()
        };
        assert!(hint.contains("scheme"), "{hint}");
        let Differs { hint } = compare(
            "https://as.example.com:8443/token",
            t,
            HtuCompare::Normalized,
            false,
        ) else {
            panic!()
        };
        assert_eq!(hint, "the port differs (8443 vs 443)");
    }

    #[test]
    fn whatwg_compares_hrefs_and_never_decodes() {
        use Comparison::*;
        let t = "http://127.0.0.1:8080/token";
        for same in [
            "http:127.0.0.1:8080/token",
            "http:\\\\127.0.0.1:8080\\token",
            " http://127.0.0.1:8080/token ",
            "http://127.0.0.1:8080/to\tken",
            "http://0x7f.0.0.1:8080/token",
            "http://127.1:08080/token",
            "HTTP://127.0.0.1:8080/./token",
        ] {
            assert!(
                matches!(
                    compare(same, t, HtuCompare::Whatwg, true),
                    EqualAfterNormalization { .. }
                ),
                "{same}"
            );
        }
        for other in [
            "http://127.0.0.1:8080/%74oken",
            "http://user@127.0.0.1:8080/token",
            "https://127.0.0.1:8080/token",
            "",
        ] {
            assert!(
                matches!(compare(other, t, HtuCompare::Whatwg, true), Differs { .. }),
                "{other}"
            );
        }
        assert!(whatwg_parts("http:\\\\h\\t?q#f").is_some());
        assert!(whatwg_parts("urn:x:y").is_none());
    }

    #[test]
    fn parses_absolute_http_uris_only() {
        assert!(parse("https://a.example/t").is_ok());
        assert!(parse("/token").is_err());
        assert!(parse("urn:x:y").is_err());
        assert!(parse("https:///t").is_err());
        let p = parse("https://a.example/t?x=1#f").unwrap();
        assert_eq!(p.query, Some(19..23));
        assert_eq!(p.fragment, Some(23..25));
    }
}
