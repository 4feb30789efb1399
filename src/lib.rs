//! tokenlint: an offline linter and DPoP/PKCE toolkit for OAuth 2.0 token
//! requests, built around Authlete's `/auth/token` API.
//!
//! Data flows one way: [`request`] loads an input into a [`request::TokenRequest`]
//! whose values keep their spans; [`lint`] runs the rules over decoded views
//! and yields [`lint::Finding`]s; [`report`] renders them. The library never
//! prints or exits; the binary's `cli` module does.

pub mod agent;
pub mod answer;
pub mod authlete;
pub mod clock;
pub mod config;
pub mod form;
pub mod jose;
pub mod jq;
pub mod json;
pub mod lint;
pub mod memo;
pub mod pkce;
pub mod read;
pub mod report;
pub mod request;
pub mod secrets;
pub mod source;
pub mod span;
pub mod text;
pub mod toolkit;
pub mod uri;
pub mod x509;
