//! forlop-app (being written).
