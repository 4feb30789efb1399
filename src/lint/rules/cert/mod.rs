//! `cert/`: the mTLS client certificate (`clientCertificate`) and the rest of
//! its chain (`clientCertificatePath`), RFC 8705 and RFC 5280.
//!
//! One file per concern: `read` (what each field holds: PEM, DER, several
//! certificates), `validity`, `strength` (key and signature algorithm),
//! `structure` (what RFC 5280 forbids in its encoding: duplicate
//! extensions, a malformed SAN, a bad serial number, keyCertSign without
//! cA), `leaf` (what the client certificate is for), `x5t` (its thumbprint) and
//! `chain` (the path from it through `clientCertificatePath`). `diags`
//! words every finding.

mod chain;
mod diags;
mod leaf;
mod read;
mod strength;
mod structure;
mod validity;
mod x5t;

/// `cert inspect` shows each certificate's thumbprint itself.
pub use x5t::X5T_S256;

use crate::lint::{Context, Sink};
use crate::request::TokenRequest;
use crate::span::{Span, Text};
use crate::x509::{CertInfo, Item, Scan};

/// The `Cert` area: its rules and the check that runs them.
pub static AREA: crate::lint::rules::AreaRules = crate::lint::rules::AreaRules {
    hooks: crate::lint::rules::Hooks::NONE,
    area: crate::lint::Area::Cert,
    rules: &[
        read::RULES,
        validity::RULES,
        chain::RULES,
        strength::RULES,
        structure::RULES,
        leaf::RULES,
        x5t::RULES,
    ],
    check,
};

/// The name of the field that holds the client's own certificate.
const LEAF: &str = "clientCertificate";

/// A certificate field of the request: `clientCertificate` or one entry of
/// `clientCertificatePath`.
struct Field<'a> {
    text: &'a Text,
    /// `clientCertificate` or `clientCertificatePath[i]`.
    name: String,
    is_leaf: bool,
}

impl Field<'_> {
    fn span(&self, item: &Item) -> Span {
        self.text.sub_span(item.range.clone())
    }

    fn whole(&self) -> Span {
        self.text.span
    }
}

/// The certificate fields of a request, in the order of the request.
struct Fields<'a> {
    leaf: Option<Field<'a>>,
    path: Vec<Field<'a>>,
}

impl<'a> Fields<'a> {
    fn of(req: &'a TokenRequest) -> Self {
        let leaf = req.client_certificate.as_ref().map(|text| Field {
            text,
            name: LEAF.into(),
            is_leaf: true,
        });
        let path = req.client_certificate_path.iter().enumerate();
        let path = path.map(|(i, text)| Field {
            text,
            name: format!("clientCertificatePath[{i}]"),
            is_leaf: false,
        });
        Fields {
            leaf,
            path: path.collect(),
        }
    }
}

/// A readable certificate and the field that holds it.
#[derive(Clone, Copy)]
struct Placed<'a> {
    field: &'a Field<'a>,
    item: &'a Item,
    cert: &'a CertInfo,
}

impl<'a> Placed<'a> {
    /// The certificate a field stands for: the first one it holds (a field
    /// with several is a finding of its own).
    fn first(field: &'a Field<'a>, scan: &'a Scan) -> Option<Self> {
        let (item, cert) = scan.certs().next()?;
        Some(Placed { field, item, cert })
    }

    /// Every certificate a field holds.
    fn all(field: &'a Field<'a>, scan: &'a Scan) -> Vec<Self> {
        let placed = |(item, cert)| Placed { field, item, cert };
        scan.certs().map(placed).collect()
    }

    fn span(&self) -> Span {
        self.field.span(self.item)
    }

    fn field_name(&self) -> &str {
        &self.field.name
    }
}

pub fn check(cx: &Context, sink: &mut Sink) {
    let scans = cx.certs();
    let fields = Fields::of(cx.req);
    let leaf = fields.leaf.as_ref().zip(scans.leaf.as_ref());
    let path: Vec<_> = fields.path.iter().zip(&scans.path).collect();

    for (field, scan) in leaf.iter().chain(&path) {
        read::check_field(field, scan, sink);
    }
    read::check_path_without_leaf(&fields, sink);

    let leaf = leaf.and_then(|(f, s)| Placed::first(f, s));
    // Index `i` is `clientCertificatePath[i]`, certificate or not: the
    // chain refers to entries by index.
    let path: Vec<Option<Placed>> = path.iter().map(|(f, s)| Placed::first(f, s)).collect();
    for placed in leaf.iter().chain(path.iter().flatten()) {
        strength::check(placed, sink);
        structure::check(placed, sink);
    }
    let now = cx.settings.now;
    let Some(leaf) = leaf else {
        for placed in path.iter().flatten() {
            validity::check(placed, now, sink);
        }
        return;
    };
    leaf::check(&leaf, !fields.path.is_empty(), sink);
    x5t::check(&leaf, sink);
    let unneeded = chain::check(&leaf, &path, now, sink);
    // An entry no chain needs is cert/path-unrelated, whatever its dates.
    let needed = path
        .iter()
        .enumerate()
        .filter(|(i, _)| !unneeded.contains(i));
    let needed = needed.filter_map(|(_, p)| p.as_ref());
    for placed in std::iter::once(&leaf).chain(needed) {
        validity::check(placed, now, sink);
    }
}
