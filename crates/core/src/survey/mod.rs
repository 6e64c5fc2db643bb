//! The patient-survey module (issue 9; spec `survey.md`): SINTEF's national survey of
//! outpatients in mental health care, TSB and private specialists, repeated on a trust's own
//! data.
//!
//! It has its own table kind — respondents, one row each ([`table`]) — and its own results:
//! frequency tables ([`describe`]), scale scores and α ([`scale`]), model fits ([`regress`]), significance tests ([`compare`]) and
//! response rates and representativeness from population aggregates ([`response`],
//! [`representativeness`]). They are not indicator cells in the
//! long table, so the module does not use `AnalysisModule`. Like the rest of the core it is pure:
//! bytes in, results out.

pub mod compare;
pub mod csv;
pub mod derive;
pub mod describe;
pub mod regress;
pub mod representativeness;
pub mod response;
pub mod rows;
pub mod scale;
pub mod table;
