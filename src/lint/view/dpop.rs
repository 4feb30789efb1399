//! The decoded DPoP proof of one request, built once in the [`Context`]
//! and shared by every `dpop/` rule: the compact JWS with spans, the
//! algorithm, the embedded key and the (lazily computed) signature check,
//! plus readable "decoded views" of the header and payload with a member
//! underlined, for diagnostics.
//!
//! [`Context`]: super::Context

use std::cell::OnceCell;
use std::ops::Range;

use crate::jose::compact::{self, CompactError, CompactJws, JsonPart};
use crate::jose::jwk::{self, Alg, PublicKey};
use crate::json::{self, Member, Node};
use crate::span::{Span, Text};

use crate::lint::{Decoded, Label};

/// The outcome of checking the proof's signature with its embedded `jwk`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verification {
    Valid,
    Invalid,
    /// The signature has the wrong shape (length, DER instead of r || s).
    Malformed(String),
    /// No usable algorithm or key: other rules say why.
    NotChecked,
}

/// The two JSON parts of the proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Header,
    Payload,
}

/// How the profile's server reads a proof, where servers differ.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    pub decoding: compact::Decoding,
    /// WebCrypto's JWK import: coordinates in either base64 alphabet, with
    /// padding or a leading zero octet, are taken.
    pub lenient_jwk: bool,
}

/// The embedded key as built, and what a lenient import forgave.
struct KeyImport {
    key: Result<PublicKey, jwk::KeyError>,
    forgiven: Option<jwk::KeyError>,
}

pub struct DpopView<'a> {
    /// The `dpop` value as given, with its place in the source.
    pub text: &'a Text,
    pub jws: Result<CompactJws, CompactError>,
    reading: Reading,
    /// The embedded key, built once for the `jwk` checks and the signature.
    key: OnceCell<Option<KeyImport>>,
    verification: OnceCell<Verification>,
}

impl<'a> DpopView<'a> {
    pub fn new(text: &'a Text) -> Self {
        Self::read_as(text, Reading::default())
    }

    /// The proof, read as the profile's server reads it.
    pub fn read_as(text: &'a Text, reading: Reading) -> Self {
        DpopView {
            text,
            jws: compact::parse_with(&text.value, reading.decoding),
            reading,
            key: OnceCell::new(),
            verification: OnceCell::new(),
        }
    }

    /// The source span of a byte range of the compact string.
    pub fn span(&self, raw: Range<usize>) -> Span {
        self.text.sub_span(raw)
    }

    pub fn part(&self, part: Part) -> Option<&JsonPart> {
        let j = self.jws.as_ref().ok()?;
        Some(match part {
            Part::Header => &j.header,
            Part::Payload => &j.payload,
        })
    }

    /// The source span of the header or payload segment.
    pub fn part_span(&self, part: Part) -> Span {
        self.part(part)
            .map_or(self.text.span, |p| self.span(p.raw.clone()))
    }

    pub fn member(&self, part: Part, name: &str) -> Option<&Member> {
        self.part(part)?.value.get(name)
    }

    pub fn header(&self, name: &str) -> Option<&Member> {
        self.member(Part::Header, name)
    }

    pub fn claim(&self, name: &str) -> Option<&Member> {
        self.member(Part::Payload, name)
    }

    pub fn claim_str(&self, name: &str) -> Option<&str> {
        self.claim(name)?.value.as_str().map(|t| t.value.as_str())
    }

    /// The registered algorithm named by `alg`, if any.
    pub fn alg(&self) -> Option<&'static Alg> {
        let a = self.header("alg")?.value.as_str()?;
        jwk::find_alg(&a.value)
    }

    /// The embedded `jwk` as plain JSON, when it is an object.
    pub fn jwk(&self) -> Option<serde_json::Value> {
        let m = self.header("jwk")?;
        m.value.as_object()?;
        Some(m.value.to_json())
    }

    /// Spans (in the decoded header) of private-key members of `jwk`.
    pub fn private_member_spans(&self) -> Vec<&Member> {
        let Some(m) = self.header("jwk") else {
            return Vec::new();
        };
        m.value
            .as_object()
            .unwrap_or(&[])
            .iter()
            .filter(|m| jwk::PRIVATE_MEMBERS.contains(&m.key.value.as_str()))
            .collect()
    }

    /// The RFC 7638 thumbprint of the embedded key.
    pub fn thumbprint(&self) -> Option<String> {
        jwk::thumbprint(&self.jwk()?).ok()
    }

    /// The public key of `jwk` for `alg` (`None` when either is missing or
    /// `alg` is not a registered algorithm); built once per request.
    pub fn public_key(&self) -> Option<&Result<PublicKey, jwk::KeyError>> {
        self.import().map(|k| &k.key)
    }

    /// What the server's lenient JWK import let pass that RFC 7518 does not
    /// (the key was built from the normalized members).
    pub fn key_forgiven(&self) -> Option<&jwk::KeyError> {
        self.import()?.forgiven.as_ref()
    }

    fn import(&self) -> Option<&KeyImport> {
        self.key
            .get_or_init(|| {
                let alg = self.alg()?;
                let key = self.jwk()?;
                let strict = jwk::public_key(&key, alg);
                let retry = match &strict {
                    Err(e @ (jwk::KeyError::Member { .. } | jwk::KeyError::Invalid { .. }))
                        if self.reading.lenient_jwk =>
                    {
                        lenient_members(&key, alg)
                            .map(|k| jwk::public_key(&k, alg))
                            .and_then(Result::ok)
                            .map(|k| (k, e.clone()))
                    }
                    _ => None,
                };
                Some(match retry {
                    Some((k, forgiven)) => KeyImport {
                        key: Ok(k),
                        forgiven: Some(forgiven),
                    },
                    None => KeyImport {
                        key: strict,
                        forgiven: None,
                    },
                })
            })
            .as_ref()
    }

    /// Checks the signature once; later calls return the same result.
    pub fn verification(&self) -> &Verification {
        self.verification.get_or_init(|| self.verify())
    }

    fn verify(&self) -> Verification {
        let (Ok(jws), Some(alg), Some(Ok(key))) = (&self.jws, self.alg(), self.public_key()) else {
            return Verification::NotChecked;
        };
        let input = &self.text.value.as_bytes()[jws.signing_input.clone()];
        match jwk::verify(key, alg, input, &jws.signature) {
            Ok(true) => Verification::Valid,
            Ok(false) => Verification::Invalid,
            Err(m) => Verification::Malformed(m),
        }
    }

    /// A readable view of the header or payload, pretty-printed, with the
    /// given spans (into the decoded text) underlined. Private key members
    /// are masked.
    pub fn decoded(&self, part: Part, labels: &[(Span, &str)]) -> Option<Decoded> {
        let p = self.part(part)?;
        let mask: Vec<Span> = if part == Part::Header {
            self.private_member_spans()
                .iter()
                .map(|m| m.value.span)
                .collect()
        } else {
            Vec::new()
        };
        let mut pp = Pretty {
            src: &p.text,
            out: String::new(),
            starts: Vec::new(),
            ends: Vec::new(),
            scalars: Vec::new(),
            mask: &mask,
        };
        pp.value(&p.value, 0);
        let labels = labels
            .iter()
            .filter_map(|(s, t)| {
                Some(Label {
                    span: pp.map(*s)?,
                    text: (*t).to_owned(),
                })
            })
            .collect();
        let title = match part {
            Part::Header => "DPoP proof header (decoded)",
            Part::Payload => "DPoP proof payload (decoded)",
        };
        Some(Decoded {
            title: title.to_owned(),
            text: pp.out,
            labels,
        })
    }
}

/// The JWK with its key members as WebCrypto's JWK import reads them:
/// base64 or base64url, padded or not, and EC coordinates longer than the
/// curve's size with leading zero octets shortened. `None` when nothing
/// changes or a member does not decode even so.
fn lenient_members(key: &serde_json::Value, alg: &jwk::Alg) -> Option<serde_json::Value> {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    use base64::Engine as _;
    let size = match alg.kind {
        jwk::AlgKind::Ecdsa { len, .. } => Some(len),
        _ => None,
    };
    let mut out = key.clone();
    let mut changed = false;
    for name in ["x", "y", "n", "e"] {
        let Some(serde_json::Value::String(v)) = key.get(name) else {
            continue;
        };
        let bare = v.trim_end_matches('=');
        let mut bytes = URL_SAFE_NO_PAD
            .decode(bare)
            .or_else(|_| STANDARD_NO_PAD.decode(bare))
            .ok()?;
        if let Some(len) = size.filter(|_| name == "x" || name == "y") {
            while bytes.len() > len && bytes[0] == 0 {
                bytes.remove(0);
            }
        }
        let canonical = URL_SAFE_NO_PAD.encode(&bytes);
        if canonical != *v {
            changed = true;
            out[name] = serde_json::Value::String(canonical);
        }
    }
    changed.then_some(out)
}

/// Span of a whole member, key to value.
pub fn member_span(m: &Member) -> Span {
    m.key_span.cover(m.value.span)
}

/// Pretty-prints span-keeping JSON, keeping each scalar as written and
/// recording where every key and value moved.
struct Pretty<'s> {
    src: &'s str,
    out: String,
    starts: Vec<(usize, usize)>,
    ends: Vec<(usize, usize)>,
    /// Scalars copied verbatim: (old span, new offset), to map spans inside them.
    scalars: Vec<(Span, usize)>,
    mask: &'s [Span],
}

impl Pretty<'_> {
    fn map(&self, s: Span) -> Option<Span> {
        if let Some((old, new)) = self
            .scalars
            .iter()
            .find(|(o, _)| o.offset <= s.offset && s.end() <= o.end() && *o != s)
        {
            return Some(Span::new(new + s.offset - old.offset, s.len));
        }
        let start = self.starts.iter().find(|(o, _)| *o == s.offset)?.1;
        let end = self.ends.iter().find(|(o, _)| *o == s.end())?.1;
        Some(Span::new(start, end.saturating_sub(start)))
    }

    fn raw(&mut self, span: Span) {
        self.starts.push((span.offset, self.out.len()));
        if self.mask.contains(&span) {
            self.out.push_str("\"****** (private key, masked)\"");
        } else {
            let text = self.src.get(span.offset..span.end()).unwrap_or("?");
            self.scalars.push((span, self.out.len()));
            self.out.push_str(text);
        }
        self.ends.push((span.end(), self.out.len()));
    }

    fn indent(&mut self, n: usize) {
        self.out.push('\n');
        for _ in 0..n {
            self.out.push_str("  ");
        }
    }

    fn value(&mut self, v: &json::Value, depth: usize) {
        match &v.node {
            Node::Object(members) if !members.is_empty() => {
                self.starts.push((v.span.offset, self.out.len()));
                self.out.push('{');
                for (i, m) in members.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.indent(depth + 1);
                    self.raw(m.key_span);
                    self.out.push_str(": ");
                    self.value(&m.value, depth + 1);
                }
                self.indent(depth);
                self.out.push('}');
                self.ends.push((v.span.end(), self.out.len()));
            }
            Node::Array(items) if !items.is_empty() => {
                self.starts.push((v.span.offset, self.out.len()));
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.indent(depth + 1);
                    self.value(item, depth + 1);
                }
                self.indent(depth);
                self.out.push(']');
                self.ends.push((v.span.end(), self.out.len()));
            }
            _ => self.raw(v.span),
        }
    }
}

/// What a request's proof contributes to checks across files (replay).
#[derive(Clone, Debug)]
pub struct JtiUse {
    pub jti: String,
    /// The payload segment in the source.
    pub span: Span,
    pub iat: Option<i64>,
    /// The payload, decoded, with `jti` underlined.
    pub decoded: Option<Decoded>,
}

impl DpopView<'_> {
    pub fn jti_use(&self) -> Option<JtiUse> {
        let m = self.claim("jti")?;
        let jti = m.value.as_str()?.value.clone();
        if jti.is_empty() {
            return None;
        }
        Some(JtiUse {
            jti,
            span: self.part_span(Part::Payload),
            iat: self.claim("iat").and_then(|m| m.value.as_i64()),
            decoded: self.decoded(Part::Payload, &[(m.value.span, "the same jti")]),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example proof of RFC 9449: header, payload and signature.
    const RFC9449_PROOF: &str = concat!(
        "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZy",
        "aHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpi",
        "VFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.",
        "eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVy",
        "LmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ.",
        "2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37x",
        "RZT3Lg",
    );

    #[test]
    fn the_rfc_example_verifies_and_tampering_breaks_it() {
        let t = Text::verbatim(RFC9449_PROOF, 10);
        let v = DpopView::new(&t);
        assert_eq!(v.verification(), &Verification::Valid);
        assert_eq!(
            v.thumbprint().as_deref(),
            Some("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I")
        );
        // Flip one signature character.
        let mut s = RFC9449_PROOF.to_owned();
        let i = s.len() - 5;
        let c = if &s[i..i + 1] == "A" { "B" } else { "A" };
        s.replace_range(i..i + 1, c);
        let t2 = Text::verbatim(s, 0);
        assert_eq!(DpopView::new(&t2).verification(), &Verification::Invalid);
    }

    #[test]
    fn decoded_view_underlines_the_member() {
        let t = Text::verbatim(RFC9449_PROOF, 0);
        let v = DpopView::new(&t);
        let m = v.claim("htu").unwrap();
        let d = v
            .decoded(Part::Payload, &[(member_span(m), "here")])
            .unwrap();
        let l = &d.labels[0];
        assert_eq!(
            &d.text[l.span.offset..l.span.end()],
            r#""htu": "https://server.example.com/token""#
        );
        assert!(d.text.contains("\n  \"iat\": 1562262616\n}"));
        assert_eq!(v.part_span(Part::Header).offset, 0);
    }
}
