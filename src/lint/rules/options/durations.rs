//! `accessTokenDuration` and `refreshTokenDuration`: Authlete uses them only
//! when they are positive.

use super::diags;
use crate::lint::{Context, Sink};
use crate::request::Spanned;

crate::lint::declare_rules! {
    area: Options;
    DURATION_NOT_POSITIVE = "options/duration-not-positive", Warning,
        "Authlete API: TokenRequest.accessTokenDuration/refreshTokenDuration",
        "A token duration of zero or less is ignored: the service default applies";
}

/// One duration field: its name and which token it is for.
pub(super) struct Duration {
    pub field: &'static str,
    /// `access` or `refresh`.
    pub token: &'static str,
}

const ACCESS: Duration = Duration {
    field: "accessTokenDuration",
    token: "access",
};
const REFRESH: Duration = Duration {
    field: "refreshTokenDuration",
    token: "refresh",
};

pub(super) fn check(cx: &Context, sink: &mut Sink) {
    check_one(&ACCESS, cx.req.access_token_duration, sink);
    check_one(&REFRESH, cx.req.refresh_token_duration, sink);
}

fn check_one(duration: &Duration, seconds: Option<Spanned<i64>>, sink: &mut Sink) {
    if let Some(seconds) = seconds.filter(|d| d.value <= 0) {
        sink.push(diags::duration_not_positive(duration, seconds));
    }
}
