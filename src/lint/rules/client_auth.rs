//! (rules to come)

use crate::lint::{Context, Sink};

crate::lint::declare_rules! {}

pub fn check(_cx: &Context, _sink: &mut Sink) {}
