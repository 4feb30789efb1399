//! JOSE pieces: the compact JWS structure with spans, and, built on it,
//! JWK handling (RFC 7638 thumbprints, public keys) and signature
//! verification.

pub mod compact;
pub mod jwk;
pub mod roca;
pub mod verify;
