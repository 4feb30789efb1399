//! RFC 3986 URI checks on top of `fluent-uri`: "is this an absolute URI,
//! and where are its components". Used for `resource` (RFC 8707 §2),
//! `redirect_uri` (RFC 6749 §3.1.2), extension `grant_type`s (RFC 6749 §4.5)
//! and DPoP `htu` (RFC 9449 §4.2).
//!
//! Every component is returned as a byte range into the parsed string, so a
//! caller can underline exactly the query or the fragment of a value (map the
//! range through [`crate::span::Text::sub_span`] or
//! [`crate::lint::Context::value_sub_span`]).
//!
//! ```
//! use tokenlint::uri;
//! let s = "https://rs.example.com:8443/api?x=1#top";
//! let u = uri::parse_absolute(s).unwrap();
//! assert_eq!(u.scheme_str(s), "https");
//! assert_eq!(u.host_str(s), Some("rs.example.com"));
//! assert_eq!(u.port_str(s), Some("8443"));
//! assert_eq!(u.path_str(s), "/api");
//! assert_eq!(u.query_str(s), Some("x=1"));
//! assert_eq!(&s[u.fragment_marker().unwrap()], "#top");
//! assert_eq!(uri::parse_absolute("/cb"), Err(uri::UriError::NoScheme));
//! ```

use std::fmt;
use std::ops::Range;

use fluent_uri::{ParseErrorKind, UriRef};

/// Where the components of a URI are, as byte ranges of the parsed string.
/// Delimiters are not included: `query` is what follows `?`, `fragment` what
/// follows `#` (either may be empty: `https://a/?` has an empty query).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UriParts {
    /// `https` in `https://a/`; never empty.
    pub scheme: Range<usize>,
    /// What follows `//` up to the path, when the URI has `//`.
    pub authority: Option<Range<usize>>,
    /// The host inside the authority (an IP literal keeps its brackets).
    pub host: Option<Range<usize>>,
    /// The port digits after the host's `:` (may be empty: `https://a:/`).
    pub port: Option<Range<usize>>,
    /// Possibly empty.
    pub path: Range<usize>,
    pub query: Option<Range<usize>>,
    pub fragment: Option<Range<usize>>,
}

impl UriParts {
    pub fn has_query(&self) -> bool {
        self.query.is_some()
    }

    pub fn has_fragment(&self) -> bool {
        self.fragment.is_some()
    }

    /// The query with its leading `?`.
    pub fn query_marker(&self) -> Option<Range<usize>> {
        self.query.as_ref().map(|q| q.start - 1..q.end)
    }

    /// The fragment with its leading `#`.
    pub fn fragment_marker(&self) -> Option<Range<usize>> {
        self.fragment.as_ref().map(|f| f.start - 1..f.end)
    }

    pub fn scheme_str<'a>(&self, s: &'a str) -> &'a str {
        &s[self.scheme.clone()]
    }

    pub fn authority_str<'a>(&self, s: &'a str) -> Option<&'a str> {
        self.authority.clone().map(|r| &s[r])
    }

    pub fn host_str<'a>(&self, s: &'a str) -> Option<&'a str> {
        self.host.clone().map(|r| &s[r])
    }

    pub fn port_str<'a>(&self, s: &'a str) -> Option<&'a str> {
        self.port.clone().map(|r| &s[r])
    }

    pub fn path_str<'a>(&self, s: &'a str) -> &'a str {
        &s[self.path.clone()]
    }

    pub fn query_str<'a>(&self, s: &'a str) -> Option<&'a str> {
        self.query.clone().map(|r| &s[r])
    }

    pub fn fragment_str<'a>(&self, s: &'a str) -> Option<&'a str> {
        self.fragment.clone().map(|r| &s[r])
    }
}

/// Why a string is not an absolute URI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UriError {
    /// The empty string.
    Empty,
    /// A valid relative reference (`/cb`, `//host/x`, `client.example.org`):
    /// it has no `scheme:` (RFC 3986 §4.2).
    NoScheme,
    /// `%` at `index` not followed by two hex digits.
    BadPercentEncoding { index: usize },
    /// A character that RFC 3986 does not allow at `index` (a space, a
    /// non-ASCII character, a second `#`, a bad character in the scheme …).
    UnexpectedChar { index: usize, ch: char },
    /// A malformed IPv6 literal starting at `index`.
    InvalidIpv6 { index: usize },
}

impl UriError {
    /// The byte offset the error is at, when there is one.
    pub fn index(&self) -> Option<usize> {
        match *self {
            UriError::Empty | UriError::NoScheme => None,
            UriError::BadPercentEncoding { index }
            | UriError::UnexpectedChar { index, .. }
            | UriError::InvalidIpv6 { index } => Some(index),
        }
    }

    /// The byte range to underline in the parsed string: the bad escape, the
    /// bad character, or the whole string.
    pub fn range(&self, s: &str) -> Range<usize> {
        match *self {
            UriError::Empty | UriError::NoScheme => 0..s.len(),
            UriError::BadPercentEncoding { index } => {
                // `%` and up to two characters after it.
                let end = s.get(index + 1..).map_or(s.len(), |t| {
                    index + 1 + t.chars().take(2).map(char::len_utf8).sum::<usize>()
                });
                index..end
            }
            UriError::UnexpectedChar { index, ch } => index..index + ch.len_utf8(),
            UriError::InvalidIpv6 { index } => {
                let end = s[index..].find(']').map_or(s.len(), |e| index + e + 1);
                index..end
            }
        }
    }
}

impl fmt::Display for UriError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            UriError::Empty => f.write_str("it is empty"),
            UriError::NoScheme => f.write_str("it is a relative reference, with no scheme"),
            UriError::BadPercentEncoding { index } => {
                write!(f, "`%` at byte {index} is not followed by two hex digits")
            }
            UriError::UnexpectedChar { index, ch } => {
                write!(f, "{ch:?} at byte {index} is not allowed in a URI")
            }
            UriError::InvalidIpv6 { index } => {
                write!(f, "the IPv6 address at byte {index} is malformed")
            }
        }
    }
}

impl std::error::Error for UriError {}

/// Parses `s` as an RFC 3986 URI with a scheme (`scheme ":" hier-part
/// [ "?" query ] [ "#" fragment ]`), strictly: ASCII only, every `%`
/// followed by two hex digits.
///
/// A fragment is *accepted* and reported in [`UriParts::fragment`]: RFC 3986
/// §4.3's `absolute-URI` has none, but callers want to say "has a fragment"
/// rather than "is not a URI". Check [`UriParts::has_fragment`] where it is
/// not allowed.
pub fn parse_absolute(s: &str) -> Result<UriParts, UriError> {
    if s.is_empty() {
        return Err(UriError::Empty);
    }
    let r = UriRef::parse(s).map_err(|e| {
        let index = e.index().min(s.len());
        match e.kind() {
            ParseErrorKind::InvalidPctEncodedOctet => UriError::BadPercentEncoding { index },
            ParseErrorKind::InvalidIpv6Addr => UriError::InvalidIpv6 { index },
            // `index` is on a character boundary (fluent-uri guarantees it);
            // fall back to U+FFFD rather than panic if it ever is not.
            _ => UriError::UnexpectedChar {
                index,
                ch: s
                    .get(index..)
                    .and_then(|t| t.chars().next())
                    .unwrap_or('\u{fffd}'),
            },
        }
    })?;
    let Some(scheme) = r.scheme() else {
        return Err(UriError::NoScheme);
    };
    // Rebuild the ranges from component lengths, in order: every component
    // is a contiguous slice of `s` with its delimiter in front of it.
    let scheme = 0..scheme.as_str().len();
    let mut pos = scheme.end + 1; // ':'
    let (authority, host, port) = match r.authority() {
        Some(a) => {
            pos += 2; // '//'
            let auth = pos..pos + a.as_str().len();
            let host_start = auth.start + a.userinfo().map_or(0, |u| u.as_str().len() + 1);
            let host = host_start..host_start + a.host().len();
            let port = a
                .port()
                .map(|p| host.end + 1..host.end + 1 + p.as_str().len());
            pos = auth.end;
            (Some(auth), Some(host), port)
        }
        None => (None, None, None),
    };
    let path = pos..pos + r.path().as_str().len();
    pos = path.end;
    let query = r.query().map(|q| {
        let q = pos + 1..pos + 1 + q.as_str().len();
        pos = q.end;
        q
    });
    let fragment = r.fragment().map(|f| pos + 1..pos + 1 + f.as_str().len());
    Ok(UriParts {
        scheme,
        authority,
        host,
        port,
        path,
        query,
        fragment,
    })
}

/// Whether `s` is an absolute URI in the sense of RFC 3986 §4.3: a scheme
/// and no fragment.
pub fn is_absolute(s: &str) -> bool {
    parse_absolute(s).is_ok_and(|u| !u.has_fragment())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components() {
        let s = "https://user:pw@[::1]:8443/a/b?x=1&y#frag";
        let u = parse_absolute(s).unwrap();
        assert_eq!(u.scheme_str(s), "https");
        assert_eq!(u.authority_str(s), Some("user:pw@[::1]:8443"));
        assert_eq!(u.host_str(s), Some("[::1]"));
        assert_eq!(u.port_str(s), Some("8443"));
        assert_eq!(u.path_str(s), "/a/b");
        assert_eq!(u.query_str(s), Some("x=1&y"));
        assert_eq!(u.fragment_str(s), Some("frag"));
        assert_eq!(&s[u.query_marker().unwrap()], "?x=1&y");
    }

    #[test]
    fn no_authority_and_empty_parts() {
        let s = "urn:ietf:params:oauth:grant-type:device_code";
        let u = parse_absolute(s).unwrap();
        assert_eq!(u.scheme_str(s), "urn");
        assert_eq!(u.authority, None);
        assert_eq!(u.path_str(s), "ietf:params:oauth:grant-type:device_code");
        let s = "https://a?#";
        let u = parse_absolute(s).unwrap();
        assert_eq!(u.path_str(s), "");
        assert_eq!(u.query_str(s), Some(""));
        assert_eq!(u.fragment_str(s), Some(""));
        assert!(u.has_fragment());
        let s = "com.example.app:/oauth2redirect";
        assert_eq!(parse_absolute(s).unwrap().path_str(s), "/oauth2redirect");
        let s = "http://127.0.0.1:/cb";
        assert_eq!(parse_absolute(s).unwrap().port_str(s), Some(""));
    }

    #[test]
    fn errors() {
        assert_eq!(parse_absolute(""), Err(UriError::Empty));
        assert_eq!(parse_absolute("/cb"), Err(UriError::NoScheme));
        assert_eq!(
            parse_absolute("client.example.org/cb"),
            Err(UriError::NoScheme)
        );
        assert_eq!(parse_absolute("//rs.example.com/"), Err(UriError::NoScheme));
        assert_eq!(
            parse_absolute("https://a/b c"),
            Err(UriError::UnexpectedChar { index: 11, ch: ' ' })
        );
        let e = parse_absolute("https://a/é").unwrap_err();
        assert_eq!(
            e,
            UriError::UnexpectedChar {
                index: 10, ch: 'é'
            }
        );
        assert_eq!(e.range("https://a/é"), 10..12);
        assert_eq!(
            parse_absolute("https://a/%zz"),
            Err(UriError::BadPercentEncoding { index: 10 })
        );
        let s = "https://a/%aé";
        let e = parse_absolute(s).unwrap_err();
        assert_eq!(e.range(s), 10..14);
        assert!(matches!(
            parse_absolute("https://a/#x#y"),
            Err(UriError::UnexpectedChar { ch: '#', .. })
        ));
        let s = "https://[1:2:3:4:5:6:7:8:9]/";
        let e = parse_absolute(s).unwrap_err();
        assert!(e.range(s).start >= 8, "{e:?}");
        assert!(is_absolute("https://rs.example.com/api?x"));
        assert!(!is_absolute("https://rs.example.com/#"));
    }
}
