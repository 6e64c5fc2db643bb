//! areas (geografi): municipality → health community → region.

use super::aliases::{index_of, AREAS};
use super::row::RowCx;
use crate::model::{AreaRow, Municipality};
use crate::quality::IssueKind;
use std::collections::BTreeMap;

const MUNICIPALITY: usize = index_of(AREAS, "municipality");
const NAME: usize = index_of(AREAS, "municipality_name");
const HEALTH_COMMUNITY: usize = index_of(AREAS, "health_community");
const REGION: usize = index_of(AREAS, "region");

/// Reads one record of areas. A municipality listed before (in `seen`, with its line) is
/// rejected (`duplicate_municipality`): the first row is the one used.
pub(crate) fn parse(cx: &mut RowCx<'_>, seen: &mut BTreeMap<Municipality, u64>) -> Option<AreaRow> {
    let municipality = cx.municipality(MUNICIPALITY, true);
    if let Some(m) = municipality {
        if let Some(&first_line) = seen.get(&m) {
            cx.reject(
                MUNICIPALITY,
                IssueKind::DuplicateMunicipality {
                    municipality: m,
                    first_line,
                },
            );
        }
    }
    let name = cx.cell(NAME);
    let hc = cx.req_text(HEALTH_COMMUNITY);
    let region = cx.req_text(REGION);
    if cx.is_rejected() {
        return None;
    }
    if let Some(m) = municipality {
        seen.insert(m, cx.line);
    }
    Some(AreaRow {
        municipality: municipality?,
        municipality_name: name.map(str::to_string),
        health_community: hc?.to_string(),
        region: region?.to_string(),
    })
}
