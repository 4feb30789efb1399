//! RFC 6749 §3.2: a parameter is sent at most once, and one sent without a
//! value counts as omitted.

use std::collections::{HashMap, HashSet};

use super::diags;
use crate::form::Pair;
use crate::lint::rules::grant::{self, table as grants};
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Params;
    DUPLICATE = "params/duplicate", Error, "RFC 6749 §3.2",
        "A parameter appears more than once";
    EMPTY_VALUE = "params/empty-value", Warning, "RFC 6749 §3.2",
        "A parameter is sent with an empty value, which counts as omitted";
}

/// Every pair of one name, in order.
struct Repeats<'a> {
    name: &'a str,
    pairs: Vec<&'a Pair>,
}

/// The pairs grouped by name, in order of first appearance.
fn by_name<'c>(cx: &'c Context) -> Vec<Repeats<'c>> {
    let mut groups: Vec<Repeats> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for p in &cx.form.pairs {
        // Part of a secret (split by a raw `&`): reported, without its
        // name, as an unknown parameter.
        if p.name.is_empty() || !cx.name_quotable(p) {
            continue;
        }
        match index.get(p.name.as_str()) {
            Some(&g) => groups[g].pairs.push(p),
            None => {
                index.insert(p.name.as_str(), groups.len());
                groups.push(Repeats {
                    name: p.name.as_str(),
                    pairs: vec![p],
                });
            }
        }
    }
    groups
}

pub(super) fn check_duplicates(cx: &Context, sink: &mut Sink) {
    let table = grants::table();
    let grant = cx.grant_type().and_then(|g| table.get(g));
    for r in by_name(cx) {
        if r.pairs.len() >= 2 && !table.may_repeat(grant, r.name) {
            sink.push(diags::duplicate(cx, r.name, &r.pairs));
        }
    }
}

pub(super) fn check_empty(cx: &Context, sink: &mut Sink) {
    let grant = cx.grant_type().and_then(|g| grants::table().get(g));
    let present: HashSet<&str> = cx
        .form
        .pairs
        .iter()
        .filter(|p| !p.value.is_empty())
        .map(|p| p.name.as_str())
        .collect();
    // The rest of a value a raw `&` cut off is `params/split-value`'s.
    let tails: Vec<usize> = cx.splits().iter().map(|s| s.tail).collect();
    for (_, p) in cx.form.pairs.iter().enumerate().filter(|(i, p)| {
        p.value.is_empty()
            && !p.name.is_empty()
            && tails.binary_search(i).is_err()
            && cx.name_quotable(p)
    }) {
        let name = p.name.as_str();
        // A required parameter that is only ever empty is reported (as
        // missing) by the grant rules; don't say it twice.
        if !present.contains(name) {
            if name == "grant_type" && sink.enabled(&grant::MISSING_GRANT_TYPE) {
                continue;
            }
            if grant.is_some_and(|g| g.required.iter().any(|r| r == name))
                && sink.enabled(&grant::MISSING_PARAMETER)
            {
                continue;
            }
        }
        sink.push(diags::empty_value(cx, p));
    }
}
