//! The resource owner password credentials grant, which RFC 9700 §2.4 says
//! must not be used.

use super::diags;
use super::table::Grant;
use crate::form::Pair;
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Grant;
    PASSWORD_DEPRECATED = "grant/password-deprecated", Warning, "RFC 9700 §2.4",
        "The resource owner password credentials grant must not be used";
}

pub(super) fn check(cx: &Context, gt: &Pair, grant: &Grant, sink: &mut Sink) {
    if grant.name == "password" {
        sink.push(diags::password_deprecated(cx, gt, grant));
    }
}
