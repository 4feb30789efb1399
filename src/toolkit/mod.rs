//! Toolkit commands' library side (no printing): DPoP key generation,
//! proofs, inspection and thumbprints.

pub mod cert;
pub mod dpop;
