//! Decoded views of a request, built once per request in the
//! [`Context`](super::Context) and shared by the rules of several areas.

pub mod client;
pub mod dpop;
pub mod htu;
pub mod jwt;
pub mod split;
