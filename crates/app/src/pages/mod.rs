//! The app's screens.
pub mod results;
pub mod start;
pub mod survey;
