//! JOSE pieces: the compact JWS structure with spans (here), and, built on
//! it, JWK handling and signature verification.

pub mod compact;
