//! pmbook: lint, track and publish incident postmortems kept as Markdown
//! files with TOML front-matter in a git repository.
//!
//! Data flows one way: the postmortems of one source are read once into a
//! [`corpus::Corpus`], which lint, actions, metrics and the site read;
//! `ARCHITECTURE.md` draws the layers and `tests/architecture.rs` holds
//! them.

pub mod actions;
pub mod cli;
pub mod commands;
pub mod config;
pub mod corpus;
pub mod diagnostics;
pub mod discover;
pub mod drafts;
pub mod error;
pub mod hooks;
pub mod i18n;
pub mod import;
pub mod language;
pub mod links;
pub mod lint;
pub mod lsp;
pub mod metrics;
pub mod model;
pub mod parse;
pub mod repo;
pub mod report;
pub mod sample;
pub mod schema;
pub mod serve;
pub mod site;
pub mod template;
pub mod text;
pub mod time;

pub use error::Error;
