//! Reusable pieces of the screens.
pub mod area_report;
pub mod care_ladder;
pub mod cost_calculator;
pub mod door_table;
pub mod door_times;
pub mod flow_sankey;
pub mod followup;
pub mod indicator;
pub mod map;
pub mod mapping;
pub mod progress;
pub mod quality;
pub mod report_dialog;
pub mod survey_response;
pub mod trend;
