//! `forlop`: the command-line tool over forlop-core (being written).
fn main() {}
