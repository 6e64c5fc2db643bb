//! (being written)
#![allow(missing_docs)]
/// Data-quality report (being written).
#[derive(Debug, Clone, Default)]
pub struct QualityReport {}
