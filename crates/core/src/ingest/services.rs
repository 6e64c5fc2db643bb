//! municipal_services (kommunale_tjenester): KPR/IPLOS service periods.

use super::aliases::{index_of, MUNICIPAL_SERVICES};
use super::codes;
use super::episodes::person;
use super::persons::PersonsState;
use super::row::RowCx;
use crate::model::MunicipalService;
use crate::quality::IssueKind;

const PID: usize = index_of(MUNICIPAL_SERVICES, "pid");
const SERVICE: usize = index_of(MUNICIPAL_SERVICES, "service");
const DECISION_DATE: usize = index_of(MUNICIPAL_SERVICES, "decision_date");
const START_DATE: usize = index_of(MUNICIPAL_SERVICES, "start_date");
const END_DATE: usize = index_of(MUNICIPAL_SERVICES, "end_date");

/// Reads one record of municipal services. A present but unreadable end date rejects the row
/// (read as missing it would make the period ongoing); start after end rejects it too.
pub(crate) fn parse(cx: &mut RowCx<'_>, persons: &PersonsState) -> Option<MunicipalService> {
    let person = person(cx, PID, persons);
    let service = cx.req_code(SERVICE, codes::service, codes::SERVICE_ALLOWED);
    let decision_date = cx.opt_date(DECISION_DATE);
    let start_date = cx.req_date(START_DATE);
    let end_date = cx.strict_opt_date(END_DATE);
    if let (Some(s), Some(Some(e))) = (start_date, end_date) {
        if s > e {
            cx.reject(END_DATE, IssueKind::StartAfterEnd { start: s, end: e });
        }
    }
    if cx.is_rejected() {
        return None;
    }
    Some(MunicipalService {
        person: person?,
        service: service?,
        decision_date,
        start_date: start_date?,
        end_date: end_date?,
    })
}
