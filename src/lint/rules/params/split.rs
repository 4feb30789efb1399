//! A raw `&` inside a value: form decoding ends the value there, so the
//! server checks what came before it, and the rest arrives as a parameter
//! of its own (RFC 6749 Appendix B).

use super::diags;
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Params;
    SPLIT_VALUE = "params/split-value", Error, "RFC 6749 Appendix B; RFC 6749 §4.1.3, §2.3.1",
        "A raw `&` split `redirect_uri`, `client_secret`, `password` or `username` in two";
}

pub(super) fn check(cx: &Context, sink: &mut Sink) {
    for s in cx.splits() {
        let (head, tail) = (&cx.form.pairs[s.head], &cx.form.pairs[s.tail]);
        sink.push(diags::split_value(cx, head, tail));
    }
}
