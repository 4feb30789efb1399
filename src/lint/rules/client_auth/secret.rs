//! `client-auth/secret-*`: the client secret in the form body
//! (client_secret_post, RFC 6749 §2.3.1).

use super::diags;
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: ClientAuth;
    SECRET_WITHOUT_CLIENT_ID = "client-auth/secret-without-client-id", Error, "RFC 6749 §2.3.1",
        "`client_secret` in the body without a `client_id`";
    SECRET_IN_BODY = "client-auth/secret-in-body", Info, "RFC 6749 §2.3.1",
        "The client secret is sent in the body (client_secret_post), which RFC 6749 does not \
         recommend";
}

pub(super) fn check(cx: &Context, sink: &mut Sink) {
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
