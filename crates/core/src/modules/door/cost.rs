//! The cost of one round of the "acute loop" (seed 003, Øyane DPS): ambulance from home to the
//! out-of-hours service, a consultation with wound care there, ambulance on to the psychiatric
//! emergency unit (PAM), the stay at PAM, and the police. Every price is a setting; the defaults
//! are the seed's (NOK 2020). The same functions serve the engine (`door.cost`) and the app's
//! cost calculator, which needs no data.

use serde::{Deserialize, Serialize};

/// The prices of the acute loop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CostModel {
    /// Price of one day at PAM (døgnpris), NOK.
    pub pam_day_price: f64,
    /// Mean length of a PAM stay in days, used unless `real_stay_length`.
    pub mean_stay_days: f64,
    /// Price each admission by its own length of stay (at least one day) instead of the mean.
    pub real_stay_length: bool,
    /// Price of one ambulance trip, NOK.
    pub ambulance_trip: f64,
    /// Ambulance trips per round (home → out-of-hours service → PAM).
    pub ambulance_trips: u32,
    /// Out-of-hours consultation with wound care, NOK.
    pub out_of_hours_consultation: f64,
    /// The police's part of one round (two patrols), NOK.
    pub police: f64,
}

impl Default for CostModel {
    fn default() -> Self {
        CostModel {
            pam_day_price: 13_448.0,
            mean_stay_days: 2.5,
            real_stay_length: false,
            ambulance_trip: 4_000.0,
            ambulance_trips: 2,
            out_of_hours_consultation: 873.0,
            police: 5_000.0,
        }
    }
}

impl CostModel {
    /// Everything of a round but the PAM stay: 2 × 4 000 + 873 + 5 000 = 13 873.
    pub fn other_services(&self) -> f64 {
        f64::from(self.ambulance_trips) * self.ambulance_trip
            + self.out_of_hours_consultation
            + self.police
    }

    /// The PAM stay of one admission at the mean length: 13 448 × 2.5 = 33 620.
    pub fn pam_per_admission(&self) -> f64 {
        self.pam_day_price * self.mean_stay_days
    }

    /// One round of the acute loop: 33 620 + 13 873 = 47 493.
    pub fn per_round(&self) -> f64 {
        self.pam_per_admission() + self.other_services()
    }

    /// The seed's sketch of one event for one patient: the loop's ambulance trips, consultation
    /// and police with one PAM day: 2 × 4 000 + 873 + 13 448 + 5 000 = 27 321.
    pub fn one_event(&self) -> f64 {
        self.other_services() + self.pam_day_price
    }

    /// The cost of one admission in whole kroner: one round at the mean length of stay, or with
    /// `real_stay_length` the stay's own days (discharge − admission, at least 1) at the day price.
    pub fn admission_cost(&self, stay_days: i64) -> i64 {
        let pam = if self.real_stay_length {
            self.pam_day_price * stay_days.max(1) as f64
        } else {
            self.pam_per_admission()
        };
        (pam + self.other_services()).round() as i64
    }

    /// The seed's appendix table for `patients` revolving-door patients with `admissions` acute
    /// PAM admissions in all (mean length of stay).
    pub fn breakdown(&self, patients: u64, admissions: u64) -> CostBreakdown {
        let per_round = self.per_round();
        let total = per_round * admissions as f64;
        let per_patient = |x: f64| (patients > 0).then(|| x / patients as f64);
        CostBreakdown {
            admissions_per_patient: per_patient(admissions as f64),
            pam_per_admission: self.pam_per_admission(),
            other_services: self.other_services(),
            per_round,
            per_patient: per_patient(total),
            total,
        }
    }
}

/// One row of the seed's appendix table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CostBreakdown {
    /// Admissions per patient (`None` without patients).
    pub admissions_per_patient: Option<f64>,
    /// PAM price per admission.
    pub pam_per_admission: f64,
    /// Other services of the loop per round.
    pub other_services: f64,
    /// Price per round.
    pub per_round: f64,
    /// Cost per patient (`None` without patients).
    pub per_patient: Option<f64>,
    /// Cost of all patients.
    pub total: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_appendix_comes_out_exactly() {
        let m = CostModel::default();
        // 13 448 × 2.5 = 33 620; 2 × 4 000 + 873 + 5 000 = 13 873; 33 620 + 13 873 = 47 493.
        assert_eq!(m.pam_per_admission(), 33_620.0);
        assert_eq!(m.other_services(), 13_873.0);
        assert_eq!(m.per_round(), 47_493.0);
        // Askøy 2020: 15 patients, 75 admissions → 5.0; 75 × 47 493 = 3 561 975; / 15 = 237 465.
        let askoy = m.breakdown(15, 75);
        assert_eq!(askoy.admissions_per_patient, Some(5.0));
        assert_eq!(askoy.total, 3_561_975.0);
        assert_eq!(askoy.per_patient, Some(237_465.0));
        // Øygarden 2020: 19 patients, 114 admissions → 6.0; 114 × 47 493 = 5 414 202; / 19 =
        // 284 958.
        let oygarden = m.breakdown(19, 114);
        assert_eq!(oygarden.admissions_per_patient, Some(6.0));
        assert_eq!(oygarden.total, 5_414_202.0);
        assert_eq!(oygarden.per_patient, Some(284_958.0));
        // The one-event sketch: 4 000 + 873 + 4 000 + 13 448 + 5 000 = 27 321.
        assert_eq!(m.one_event(), 27_321.0);
        assert_eq!(m.breakdown(0, 0).per_patient, None);
    }

    #[test]
    fn an_admission_costs_a_round_or_its_own_days() {
        let mut m = CostModel::default();
        assert_eq!(m.admission_cost(7), 47_493);
        m.real_stay_length = true;
        // 3 days: 3 × 13 448 + 13 873 = 54 217; a same-day stay is priced as one day: 27 321.
        assert_eq!(m.admission_cost(3), 54_217);
        assert_eq!(m.admission_cost(0), 27_321);
        // Prices with øre round to whole kroner: 2.5 × 13 448.3 + 13 873 = 47 493.75 → 47 494.
        m.real_stay_length = false;
        m.pam_day_price = 13_448.3;
        assert_eq!(m.admission_cost(1), 47_494);
    }
}
