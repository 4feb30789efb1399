//! The `dpop/replay` finding. The engine's [`CrossCheck`](crate::lint::CrossCheck)
//! finds the reused jti across inputs; the dpop area's replay hook builds
//! the finding from it.

use crate::lint::{Finding, Replay};

/// A proof whose `jti` an earlier input of the run already used.
pub(crate) fn replay_finding(replay: &Replay) -> Finding {
    let u = replay.jti;
    let message = format!(
        "the DPoP proof's jti `{}` was already used by {}: \
         a server that has seen that proof rejects this one as a replay",
        u.jti,
        earlier_uses(replay)
    );
    Finding::new(&super::REPLAY, message)
        .field("dpop.jti")
        .label(u.span, "payload with a reused jti")
        .decoded(u.decoded.clone())
        .help(
            "make a fresh proof for every request: a new random jti (at least 96 bits, \
             e.g. 16 random octets base64url-encoded, or a UUIDv4) and a current iat",
        )
}

/// The earlier inputs, each with how far its `iat` is from this proof's,
/// then how many more there were.
fn earlier_uses(replay: &Replay) -> String {
    let mut names: Vec<String> = replay
        .earlier
        .iter()
        .map(|e| match (replay.jti.iat, e.iat) {
            (Some(a), Some(b)) => format!("{} (iat {:+} s)", e.name, b.saturating_sub(a)),
            _ => e.name.clone(),
        })
        .collect();
    if replay.more > 0 {
        names.push(format!("{} more", replay.more));
    }
    names.join(", ")
}
