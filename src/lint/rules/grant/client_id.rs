//! Grants that require the client to identify itself at least (`client_id`
//! or authentication): `client = "identify"` in the grant table.

use super::diags;
use super::table::{ClientPolicy, Grant};
use crate::form::Pair;
use crate::lint::{find_rule, Context, Sink};

crate::lint::declare_rules! {
    area: Grant;
    CLIENT_ID_MISSING = "grant/client-id-missing", Error, "RFC 6749 §4.1.3; RFC 8628 §3.4",
        "Nothing identifies the client: no `client_id`, no authentication";
}

pub(super) fn check(cx: &Context, gt: &Pair, grant: &Grant, sink: &mut Sink) {
    if grant.client != ClientPolicy::Identify || cx.client_identified() {
        return;
    }
    let secret = cx.param("client_secret");
    // A body secret without its client_id is client-auth's finding.
    if secret.is_some()
        && find_rule("client-auth/secret-without-client-id").is_some_and(|r| sink.enabled(r))
    {
        return;
    }
    sink.push(diags::client_id_missing(cx, gt, grant, secret));
}
