//! What RFC 5280 forbids in a certificate's encoding, which x509 libraries
//! read past or refuse: an extension twice, a subjectAltName that is no
//! list of names, a serial number that is not a positive integer of at
//! most 20 octets, keyCertSign on a certificate that is not a CA.

use super::{diags, Placed};
use crate::lint::Sink;

crate::lint::declare_rules! {
    area: Cert;
    DUPLICATE_EXTENSION = "cert/duplicate-extension", Error, "RFC 5280 §4.2",
        "A certificate has the same extension twice";
    SAN_MALFORMED = "cert/san-malformed", Error, "RFC 5280 §4.2.1.6",
        "A certificate's subjectAltName is malformed or holds a malformed name";
    SERIAL_NUMBER = "cert/serial-number", Warning, "RFC 5280 §4.1.2.2",
        "A certificate's serial number is zero, negative or longer than 20 octets";
    KEY_CERT_SIGN_NOT_CA = "cert/key-cert-sign-not-ca", Warning, "RFC 5280 §4.2.1.9, §4.2.1.3",
        "A certificate asserts keyUsage keyCertSign without basicConstraints cA";
}

/// What is wrong with a serial number (its DER content octets).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SerialProblem {
    Zero,
    Negative,
    /// Longer than 20 octets (its magnitude, without a leading zero octet).
    TooLong(usize),
}

pub(super) fn serial_problem(raw: &[u8]) -> Option<SerialProblem> {
    if raw.first().is_some_and(|b| b & 0x80 != 0) {
        return Some(SerialProblem::Negative);
    }
    let magnitude = raw.iter().skip_while(|b| **b == 0).count();
    match magnitude {
        0 => Some(SerialProblem::Zero),
        n if n > 20 => Some(SerialProblem::TooLong(n)),
        _ => None,
    }
}

pub(super) fn check(placed: &Placed, sink: &mut Sink) {
    let cert = placed.cert;
    if !cert.duplicate_extensions.is_empty() {
        sink.push(diags::duplicate_extension(
            placed,
            &cert.duplicate_extensions,
        ));
    }
    if let Some(problem) = &cert.san_problem {
        sink.push(diags::san_malformed(placed, problem));
    }
    if let Some(problem) = serial_problem(&cert.serial_raw) {
        sink.push(diags::serial_number(placed, problem));
    }
    if cert.key_cert_sign == Some(true) && !cert.is_ca {
        sink.push(diags::key_cert_sign_not_ca(placed));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_numbers() {
        assert_eq!(serial_problem(&[0]), Some(SerialProblem::Zero));
        assert_eq!(serial_problem(&[0xff]), Some(SerialProblem::Negative));
        assert_eq!(serial_problem(&[0x00, 0x80]), None);
        assert_eq!(serial_problem(&[0x01; 20]), None);
        // 20 octets of magnitude need a leading zero when the first is >= 0x80.
        let mut twenty = vec![0x00];
        twenty.extend([0x80; 20]);
        assert_eq!(serial_problem(&twenty), None);
        assert_eq!(
            serial_problem(&[0x01; 21]),
            Some(SerialProblem::TooLong(21))
        );
    }
}
