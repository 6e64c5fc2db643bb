//! # forlop-core
//!
//! The engine of Forløp: canonical health-service tables in, the indicators of
//! `spec/indicators.md` out, as one long table with small numbers suppressed.
//!
//! The core is pure: bytes and settings in, a [`Report`] out. It never opens files, reads the
//! clock or the environment, or prints, so the same code runs in the command-line tool and,
//! compiled to `wasm32-unknown-unknown`, in a Web Worker in the browser.
//!
//! Pipeline: [`ingest`] (bytes → typed [`model::Tables`] + a [`quality::QualityReport`]) →
//! `stays` (continuous stays) → [`modules`] (each module's cohort and per-unit facts, declared
//! as a [`module::ModuleDecl`]) → [`indicator`] (the registry and its one evaluator) →
//! `aggregate` (areas) → [`suppress`] (small numbers) → [`Report`] → [`output`] (the long
//! table). `docs/architecture.md` walks the path and says how to add a module.
#![deny(missing_docs)]

pub(crate) mod aggregate;
pub mod ci;
pub mod indicator;
pub mod ingest;
pub mod model;
pub mod module;
pub mod modules;
pub mod notes;
pub mod output;
pub mod passes;
pub mod quality;
pub mod settings;
pub mod sql;
pub(crate) mod standardise;
pub(crate) mod stays;
pub mod suppress;
pub mod survey;
pub mod text;
pub mod variation;
pub mod years;

mod analysis;

pub use aggregate::{Area, PopulationBasis};
pub use analysis::{
    analyse, analyse_with_progress, long_rows_of, Analysis, AreaId, Cancelled, IndicatorResult,
    ModuleSection, Phase, Report, Unavailable,
};
pub use notes::Note;
pub use settings::Settings;
