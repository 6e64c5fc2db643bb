//! forlop-synth (being written).
