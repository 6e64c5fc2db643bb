//! Reusable pieces of the screens.
pub mod indicator;
pub mod mapping;
pub mod progress;
pub mod quality;
