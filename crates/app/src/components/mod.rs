//! Reusable pieces of the screens.
pub mod cost_calculator;
pub mod door_table;
pub mod door_times;
pub mod indicator;
pub mod map;
pub mod mapping;
pub mod progress;
pub mod quality;
pub mod report_dialog;
