//! `cimdOptions`: an object of the booleans `alwaysRetrieved`,
//! `httpPermitted` and `queryPermitted` (Authlete's `CimdOptions`).

use super::diags;
use crate::json::{self, Raw};
use crate::lint::{Context, Sink};

crate::lint::declare_rules! {
    area: Options;
    CIMD_OPTIONS_SHAPE = "options/cimd-options-shape", Error, "Authlete API: CimdOptions",
        "`cimdOptions` is not an object of alwaysRetrieved / httpPermitted / \
         queryPermitted booleans";
    CIMD_OPTIONS_UNKNOWN = "options/cimd-options-unknown", Warning, "Authlete API: CimdOptions",
        "`cimdOptions` has a member CimdOptions does not have: no override happens";
}

/// The members of `CimdOptions`.
pub(super) const CIMD_MEMBERS: &[&str] = &["alwaysRetrieved", "httpPermitted", "queryPermitted"];

pub(super) fn check(cx: &Context, c: Raw, sink: &mut Sink) {
    let Some(members) = c.members() else {
        if !c.is_null() {
            let serialized = c
                .as_str()
                .is_some_and(|t| json::validate(&t.value, 0).is_ok_and(|v| v.members().is_some()));
            sink.push(diags::cimd_not_object(c, serialized));
        }
        return;
    };
    for m in members {
        let key = m.key();
        let name = key.value.as_str();
        if !CIMD_MEMBERS.contains(&name) {
            let meant = cx.suggester.suggest(name, CIMD_MEMBERS.iter().copied());
            sink.push(diags::cimd_unknown_member(&m, meant));
        } else if m.value.as_bool().is_none() {
            sink.push(diags::cimd_not_bool(&m));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::suggest;

    #[test]
    fn suggestions() {
        let meant = |name| suggest(name, CIMD_MEMBERS.iter().copied());
        assert_eq!(meant("always_retrieved"), Some("alwaysRetrieved"));
        assert_eq!(meant("HttpPermitted"), Some("httpPermitted"));
        assert_eq!(meant("query-permitted"), Some("queryPermitted"));
        assert_eq!(meant("alwaysRetreived"), Some("alwaysRetrieved"));
        assert_eq!(meant("httpAllowed"), None);
    }
}
