//! areas (geografi): municipality → health community → region.

use super::row::RowCx;
use crate::model::AreaRow;

const MUNICIPALITY: usize = 0;
const NAME: usize = 1;
const HEALTH_COMMUNITY: usize = 2;
const REGION: usize = 3;

/// Reads one record of areas.
pub(crate) fn parse(cx: &mut RowCx<'_>) -> Option<AreaRow> {
    let municipality = cx.municipality(MUNICIPALITY, true);
    let name = cx.cell(NAME);
    let hc = cx.req_text(HEALTH_COMMUNITY);
    let region = cx.req_text(REGION);
    if cx.is_rejected() {
        return None;
    }
    Some(AreaRow {
        municipality: municipality?,
        municipality_name: name.map(str::to_string),
        health_community: hc?.to_string(),
        region: region?.to_string(),
    })
}
