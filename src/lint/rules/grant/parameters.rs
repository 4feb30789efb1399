//! The parameters of the grant: those it requires, those it wants together,
//! and those it does not define (RFC 6749 §3.2, and each grant's spec).

use std::collections::HashSet;

use super::diags;
use super::names::closest;
use super::table::{self as grants, Grant};
use crate::form::Pair;
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Grant;
    MISSING_PARAMETER = "grant/missing-parameter", Error,
        "RFC 6749 §4.1.3, §4.3.2, §6; RFC 8628 §3.4; RFC 8693 §2.1; RFC 7523 §2.1",
        "A parameter the grant requires is missing or empty";
    UNPAIRED_PARAMETER = "grant/unpaired-parameter", Error, "RFC 8693 §2.1",
        "A parameter is sent without the parameter it must come with";
    UNKNOWN_PARAMETER = "grant/unknown-parameter", Info, "RFC 6749 §3.2",
        "A parameter the grant does not define; the server ignores it";
}

/// What the request has instead of a required parameter.
pub(super) enum Missing<'a> {
    /// The parameter with nothing after its `=`.
    Empty(&'a Pair),
    /// A parameter the grant does not know whose name is a near miss.
    Misspelt(&'a Pair),
    Nothing,
}

pub(super) fn check_missing(cx: &Context, gt: &Pair, grant: &Grant, sink: &mut Sink) {
    for req in &grant.required {
        if cx.has_param(req) {
            continue;
        }
        let misspelt = || {
            cx.form.pairs.iter().find(|p| {
                !grants::table().known(grant, &p.name) && closest(&p.name, [req.as_str()]).is_some()
            })
        };
        let instead = if let Some(p) = cx.form.all(req).next() {
            Missing::Empty(p)
        } else if let Some(p) = misspelt() {
            Missing::Misspelt(p)
        } else {
            Missing::Nothing
        };
        sink.push(diags::missing_parameter(cx, gt, grant, req, instead));
    }
}

/// Parameters of a group that must be sent together, when only some are.
pub(super) struct Unpaired<'a> {
    pub group: &'a [String],
    pub present: Vec<&'a Pair>,
    pub missing: Vec<&'a str>,
}

pub(super) fn check_unpaired(cx: &Context, grant: &Grant, sink: &mut Sink) {
    for group in &grant.together {
        let present: Vec<&Pair> = group.iter().filter_map(|n| cx.param(n)).collect();
        if present.is_empty() || present.len() == group.len() {
            continue;
        }
        let missing = group
            .iter()
            .map(String::as_str)
            .filter(|n| !cx.has_param(n))
            .collect();
        let unpaired = Unpaired {
            group,
            present,
            missing,
        };
        sink.push(diags::unpaired_parameter(cx, grant, &unpaired));
    }
}

pub(super) fn check_unknown(cx: &Context, grant: &Grant, sink: &mut Sink) {
    let table = grants::table();
    let mut seen: HashSet<&str> = HashSet::new();
    // Required parameters that are missing: a near miss of one is pointed at
    // by grant/missing-parameter already.
    let missing: Vec<&str> = if sink.enabled(&MISSING_PARAMETER) {
        grant
            .required
            .iter()
            .map(String::as_str)
            .filter(|r| !cx.has_param(r))
            .collect()
    } else {
        Vec::new()
    };
    // The rest of a value a raw `&` split off is params/split-value's.
    let tails: Vec<usize> = cx.splits().iter().map(|s| s.tail).collect();
    for (i, p) in cx.form.pairs.iter().enumerate() {
        let name = p.name.as_str();
        // pkce/verifier-unexpected covers code_verifier.
        if name.is_empty()
            || tails.binary_search(&i).is_ok()
            || name == "code_verifier"
            || table.known(grant, name)
            || !seen.insert(name)
        {
            continue;
        }
        if missing.iter().any(|r| closest(name, [*r]).is_some()) {
            continue;
        }
        let prev = i.checked_sub(1).and_then(|j| cx.form.pairs.get(j));
        sink.push(diags::unknown_parameter(cx, grant, p, prev));
    }
}
