//! `client-auth/secret-*`: the client secret in the form body
//! (client_secret_post, RFC 6749 §2.3.1).

use super::diags;
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: ClientAuth;
    SECRET_WITHOUT_CLIENT_ID = "client-auth/secret-without-client-id", Error,
        "RFC 6749 §2.3.1; RFC 7617 §2",
        "A client secret (`client_secret` in the body, or `clientSecret`) without a client ID";
    SECRET_IN_BODY = "client-auth/secret-in-body", Info, "RFC 6749 §2.3.1",
        "The client secret is sent in the body (client_secret_post), which RFC 6749 does not \
         recommend";
}

pub(super) fn check(cx: &Context, sink: &mut Sink) {
    check_basic(cx, sink);
    let Some(secret) = cx.param("client_secret") else {
        return;
    };
    let header_id = cx
        .req
        .client_id
        .as_ref()
        .is_some_and(|t| !t.value.is_empty());
    let span = cx.name_span(secret);
    if !cx.has_param("client_id") && !header_id {
        sink.push(diags::secret_without_client_id(span));
    }
    sink.push(diags::secret_in_body(span));
}

/// `clientSecret` without `clientId`: a Basic header always carries both
/// (RFC 7617 §2, `user-id ":" password`), so the request was put together
/// by hand and lost the ID on the way.
fn check_basic(cx: &Context, sink: &mut Sink) {
    let Some(secret) = cx
        .req
        .client_secret
        .as_ref()
        .filter(|t| !t.value.is_empty())
    else {
        return;
    };
    if cx
        .req
        .client_id
        .as_ref()
        .is_some_and(|t| !t.value.is_empty())
    {
        return;
    }
    let body_id = cx.param("client_id").map(|p| cx.value_span(p));
    sink.push(diags::basic_secret_without_client_id(secret.span, body_id));
}
