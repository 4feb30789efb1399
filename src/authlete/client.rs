//! The HTTP call to Authlete: one POST, TLS certificates always verified, no
//! redirects followed (the bearer token must not travel elsewhere), no retry
//! (a token request is not idempotent: a code is spent on the first try).

use std::time::Duration;

/// The exact request that is (or would be) sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    /// In order; `Authorization` holds the real bearer token.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpRequest {
    /// `POST {url}` with the bearer token, the JSON body and extra headers
    /// (an extra header replaces a default one of the same name).
    pub fn new(url: String, bearer: &str, body: String, extra: &[(String, String)]) -> Self {
        let mut headers = vec![
            ("Authorization".to_owned(), format!("Bearer {bearer}")),
            ("Content-Type".to_owned(), "application/json".to_owned()),
            ("Accept".to_owned(), "application/json".to_owned()),
            (
                "User-Agent".to_owned(),
                concat!("tokenlint/", env!("CARGO_PKG_VERSION")).to_owned(),
            ),
        ];
        for (k, v) in extra {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case(k));
            headers.push((k.clone(), v.clone()));
        }
        HttpRequest {
            method: "POST",
            url,
            headers,
            body,
        }
    }

    /// The request as text, every credential header masked; `body` is shown
    /// as given (pass the masked body).
    pub fn display(&self, body: &str) -> String {
        self.display_hiding(body, &[])
    }

    /// As [`HttpRequest::display`], with the headers named in `hidden`
    /// masked too, whatever their names (`--debug` hides every `-H` value:
    /// a log is kept and shared more than a preview).
    pub fn display_hiding(&self, body: &str, hidden: &[(String, String)]) -> String {
        let mut s = format!("{} {}\n", self.method, self.url);
        for (k, v) in &self.headers {
            let hide = hidden.iter().any(|(h, _)| h.eq_ignore_ascii_case(k));
            let shown = if hide {
                crate::secrets::redact(v)
            } else {
                mask_header(k, v)
            };
            s.push_str(&format!("{k}: {shown}\n"));
        }
        s.push('\n');
        s.push_str(body);
        s.push('\n');
        s
    }
}

/// Which headers carry credentials, and how they are shown: asked of
/// [`crate::secrets`], the one owner of what is secret.
pub use crate::secrets::{is_secret_header, mask_header};

/// Authlete's answer.
#[derive(Clone, Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Why there is no answer (or none that can be read).
#[derive(Debug)]
pub enum SendError {
    Timeout {
        after: Duration,
        message: String,
    },
    Connect(String),
    Other(String),
    /// Authlete answered with a body over `limit` bytes: it was not read.
    TooLarge {
        status: u16,
        limit: usize,
    },
}

/// The default cap on an answer's body: Authlete's token responses are a
/// few KiB, so this is far above any real one and far below what hurts.
pub const DEFAULT_MAX_RESPONSE: usize = 16 << 20;

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Timeout { after, message } => write!(
                f,
                "no answer from Authlete within {}: {message}. The request may have been \
                 processed: do not resend a token request with a single-use code",
                format_duration(*after)
            ),
            SendError::Connect(m) => write!(f, "cannot connect to Authlete: {m}"),
            SendError::Other(m) => write!(f, "the call to Authlete failed: {m}"),
            SendError::TooLarge { status, limit } => write!(
                f,
                "Authlete answered HTTP {status} with a body over the {} response limit \
                 (--max-response-size); it was not read. The token request may have been \
                 processed: do not resend one with a single-use code blindly",
                format_size(*limit)
            ),
        }
    }
}

/// Sends the request once, and reads at most `max_body` bytes of the answer.
pub fn send(
    req: &HttpRequest,
    timeout: Duration,
    max_body: usize,
) -> Result<HttpResponse, SendError> {
    // reqwest is built without a default TLS crypto provider; ring is ours.
    // An error means one is installed already, which is as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::blocking::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| SendError::Other(error_chain(&e)))?;
    let mut b = client.post(&req.url).body(req.body.clone());
    for (k, v) in &req.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    let resp = b.send().map_err(|e| classify(&e, timeout))?;
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let too_large = SendError::TooLarge {
        status,
        limit: max_body,
    };
    if resp.content_length().is_some_and(|n| n > max_body as u64) {
        return Err(too_large);
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(resp, max_body as u64 + 1),
        &mut bytes,
    )
    .map_err(|e| read_error(&e, timeout))?;
    if bytes.len() > max_body {
        return Err(too_large);
    }
    let body = String::from_utf8_lossy(&bytes).into_owned();
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

fn classify(e: &reqwest::Error, timeout: Duration) -> SendError {
    let message = error_chain(e);
    if e.is_timeout() {
        SendError::Timeout {
            after: timeout,
            message,
        }
    } else if e.is_connect() {
        SendError::Connect(message)
    } else {
        SendError::Other(message)
    }
}

/// An error while reading the body, which reqwest wraps in an I/O error.
fn read_error(e: &std::io::Error, timeout: Duration) -> SendError {
    let inner = e.get_ref().and_then(|i| i.downcast_ref::<reqwest::Error>());
    match inner {
        Some(re) => classify(re, timeout),
        None if e.kind() == std::io::ErrorKind::TimedOut => SendError::Timeout {
            after: timeout,
            message: error_chain(e),
        },
        None => SendError::Other(error_chain(e)),
    }
}

/// An error with its causes (reqwest's top-level message is terse).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let m = c.to_string();
        if !s.contains(&m) {
            s.push_str(": ");
            s.push_str(&m);
        }
        cur = c.source();
    }
    s
}

/// Parses `30s`, `5m`, `100ms`, `1h`, `1m30s` (Go duration syntax, as the
/// authlete CLI takes it); a bare number is seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("an empty duration".into());
    }
    if let Ok(n) = t.parse::<u64>() {
        return check(Duration::from_secs(n), s);
    }
    let mut total = Duration::ZERO;
    let mut rest = t;
    while !rest.is_empty() {
        let n_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| format!("`{s}` has a number without a unit (ms, s, m, h)"))?;
        let n: f64 = rest[..n_end]
            .parse()
            .map_err(|_| format!("`{s}` is not a duration such as 30s, 5m or 100ms"))?;
        rest = &rest[n_end..];
        let u_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..u_end];
        rest = &rest[u_end..];
        let secs = match unit {
            "ms" => n / 1000.0,
            "s" => n,
            "m" => n * 60.0,
            "h" => n * 3600.0,
            _ => return Err(format!("`{s}`: unknown unit `{unit}` (use ms, s, m or h)")),
        };
        if !secs.is_finite() || secs > 86_400.0 * 7.0 {
            return Err(format!("`{s}` is too long"));
        }
        total += Duration::from_secs_f64(secs);
    }
    check(total, s)
}

fn check(d: Duration, s: &str) -> Result<Duration, String> {
    if d.is_zero() {
        Err(format!("`{s}`: the timeout must be more than zero"))
    } else {
        Ok(d)
    }
}

pub fn format_duration(d: Duration) -> String {
    if d.subsec_millis() != 0 || d.as_secs() == 0 {
        format!("{}ms", d.as_millis())
    } else {
        format!("{}s", d.as_secs())
    }
}

/// Parses a size: bytes (`65536`), or with a binary unit (`64KiB`, `16MiB`,
/// `1GiB`; `K`, `M`, `G`, `KB`… mean the same).
pub fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let (n, unit) = t.split_at(digits);
    let n: usize = n.parse().map_err(|_| {
        format!(
            "`{}` is not a size such as 65536, 64KiB or 16MiB",
            s.escape_debug()
        )
    })?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => {
            return Err(format!(
                "`{}`: unknown unit (use KiB, MiB or GiB)",
                s.escape_debug()
            ))
        }
    };
    match n.checked_mul(1 << shift) {
        Some(0) => Err(format!(
            "`{}`: the size must be more than zero",
            s.escape_debug()
        )),
        Some(v) => Ok(v),
        None => Err(format!("`{}` is too large", s.escape_debug())),
    }
}

/// A size for people: `16 MiB`, `64 KiB`, or `100 bytes`.
pub fn format_size(n: usize) -> String {
    match n {
        _ if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        _ if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        _ => format!("{n} bytes"),
    }
}

/// Parses `-H "Key: Value"`. An error never quotes the header: a value
/// with a missing colon (`Authorization Bearer TOKEN`) is a credential.
pub fn parse_header(h: &str) -> Result<(String, String), String> {
    let (k, v) = h.split_once(':').ok_or_else(|| {
        format!(
            "-H: expected \"Key: Value\", got {} characters without a `:` (not shown)",
            h.chars().count()
        )
    })?;
    let k = k.trim();
    if k.is_empty()
        || !k
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    {
        return Err(format!(
            "-H: the {} characters before the first `:` are not a header name (letters, \
             digits and !#$%&'*+-.^_`|~, no space; not shown)",
            k.chars().count()
        ));
    }
    let v = v.trim();
    if v.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(format!("-H `{k}`: the value has a line break"));
    }
    Ok((k.to_owned(), v.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_duration("5m").unwrap(), Duration::from_secs(300));
        assert_eq!(parse_duration("100ms").unwrap(), Duration::from_millis(100));
        assert_eq!(parse_duration("1m30s").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("2").unwrap(), Duration::from_secs(2));
        for bad in ["", "0s", "5x", "s", "-1s", "1e999h"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("100").unwrap(), 100);
        assert_eq!(parse_size("4KiB").unwrap(), 4096);
        assert_eq!(parse_size("16 MiB").unwrap(), DEFAULT_MAX_RESPONSE);
        assert_eq!(parse_size("1g").unwrap(), 1 << 30);
        for bad in ["", "0", "lots", "5 parsecs", "-1", "99999999999999999999G"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        assert_eq!(format_size(DEFAULT_MAX_RESPONSE), "16 MiB");
        assert_eq!(format_size(4096), "4 KiB");
        assert_eq!(format_size(100), "100 bytes");
    }

    #[test]
    fn headers_and_masking() {
        assert_eq!(
            parse_header("X-A: b c").unwrap(),
            ("X-A".into(), "b c".into())
        );
        for bad in [
            "Authorization Bearer SEKRIT",
            "Bearer SEKRIT: x",
            ": SEKRIT",
        ] {
            let e = parse_header(bad).unwrap_err();
            assert!(!e.contains("SEKRIT"), "{e}");
        }
        let r = HttpRequest::new(
            "https://x/api/1/auth/token".into(),
            "SUPERSECRETBEARERTOKEN",
            "{}".into(),
            &[],
        );
        let d = r.display("{}");
        assert!(!d.contains("SUPERSECRETBEARERTOKEN"), "{d}");
        assert!(d.contains("Authorization: Bearer "));
    }
}
