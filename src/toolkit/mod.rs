//! Toolkit commands' library side (no printing): DPoP key generation,
//! proofs, inspection and thumbprints; JWT inspection.

pub mod cert;
pub mod dpop;
pub mod jwt;
