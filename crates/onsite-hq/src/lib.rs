//! Onsite HQ: the server dispatchers and devices talk to.
//!
//! `routes` is the HTTP API (thin handlers), `storage` the one trait behind which data lives,
//! `auth` passwords and tokens, `tls` the certificate, `import` the JSON Lines job import,
//! `server` wires them to a socket. The binary in `main.rs` is argument parsing only.

pub mod auth;
pub mod blobs;
pub mod calendar;
pub mod connections;
pub mod console_cookie;
pub mod demo;
pub mod error;
#[cfg(test)]
mod fuzz;
pub mod import;
pub mod job_input;
pub mod mail;
pub mod password;
pub mod reference;
pub mod routes;
pub mod rules;
pub mod server;
pub mod sessions;
pub mod storage;
pub mod throttle;
pub mod tls;
