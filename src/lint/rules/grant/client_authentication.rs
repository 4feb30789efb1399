//! Grants that require the client to authenticate (client_credentials,
//! CIBA): `client = "authenticate"` in the grant table.

use super::diags;
use super::table::{ClientPolicy, Grant};
use crate::form::Pair;
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Grant;
    CLIENT_AUTHENTICATION_REQUIRED = "grant/client-authentication-required", Error,
        "RFC 6749 §4.4.2; OpenID CIBA Core 1.0 §10.1",
        "The grant requires client authentication, and the request has none";
}

pub(super) fn check(cx: &Context, gt: &Pair, grant: &Grant, sink: &mut Sink) {
    if grant.client == ClientPolicy::Authenticate && !cx.client_authenticates() {
        sink.push(diags::client_authentication_required(cx, gt, grant));
    }
}
