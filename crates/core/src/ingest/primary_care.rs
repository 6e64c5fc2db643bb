//! primary_care (primaerhelse): KUHR claims; contact type and interdisciplinary cooperation are
//! derived from the tariffs when their columns are missing.

use super::aliases::{index_of, PRIMARY_CARE};
use super::codes;
use super::episodes::person;
use super::persons::PersonsState;
use super::row::RowCx;
use crate::model::PrimaryCareContact;

const PID: usize = index_of(PRIMARY_CARE, "pid");
const DATE: usize = index_of(PRIMARY_CARE, "date");
const PROVIDER: usize = index_of(PRIMARY_CARE, "provider");
const CONTACT_TYPE: usize = index_of(PRIMARY_CARE, "contact_type");
const INTERDISCIPLINARY: usize = index_of(PRIMARY_CARE, "interdisciplinary");
const TARIFFS: usize = index_of(PRIMARY_CARE, "tariffs");

/// Reads one record of primary care.
pub(crate) fn parse(cx: &mut RowCx<'_>, persons: &PersonsState) -> Option<PrimaryCareContact> {
    let person = person(cx, PID, persons);
    let date = cx.req_date(DATE);
    let provider = cx.req_code(PROVIDER, codes::provider, codes::PROVIDER_ALLOWED);
    let (from_tariffs, tariff_14) = cx.cell(TARIFFS).map_or((None, false), codes::from_tariffs);
    let contact_type = if cx.cell(CONTACT_TYPE).is_some() {
        cx.req_code(
            CONTACT_TYPE,
            codes::contact_type,
            codes::CONTACT_TYPE_ALLOWED,
        )
    } else {
        if from_tariffs.is_none() {
            cx.missing(CONTACT_TYPE);
        }
        from_tariffs
    };
    let interdisciplinary = cx
        .opt_code(INTERDISCIPLINARY, codes::boolean, codes::BOOL_ALLOWED)
        .unwrap_or(tariff_14);
    if cx.is_rejected() {
        return None;
    }
    Some(PrimaryCareContact {
        person: person?,
        date: date?,
        provider: provider?,
        contact_type: contact_type?,
        interdisciplinary,
    })
}
