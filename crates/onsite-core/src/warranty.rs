//! Warranty status of an asset on a given date.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Whether an asset is covered on a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Warranty {
    /// Covered through `until` (inclusive); `days_left` counts today as day 0 of what is left.
    InWarranty {
        /// Last covered day.
        until: NaiveDate,
        /// Days from the date asked about to `until`.
        days_left: i64,
    },
    /// Not covered since the day after `ended`.
    Expired {
        /// Last covered day.
        ended: NaiveDate,
    },
    /// No warranty end date is on record.
    Unknown,
}

/// The warranty status on `on` of an asset whose warranty runs through `warranty_until`.
pub fn status(warranty_until: Option<NaiveDate>, on: NaiveDate) -> Warranty {
    match warranty_until {
        Some(until) if on <= until => Warranty::InWarranty {
            until,
            days_left: (until - on).num_days(),
        },
        Some(ended) => Warranty::Expired { ended },
        None => Warranty::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn table() {
        let cases = [
            (
                Some("2026-12-31"),
                "2026-11-23",
                Warranty::InWarranty {
                    until: d("2026-12-31"),
                    days_left: 38,
                },
            ),
            (
                Some("2026-11-23"),
                "2026-11-23",
                Warranty::InWarranty {
                    until: d("2026-11-23"),
                    days_left: 0,
                },
            ),
            (
                Some("2026-11-22"),
                "2026-11-23",
                Warranty::Expired {
                    ended: d("2026-11-22"),
                },
            ),
            (
                Some("2020-02-29"),
                "2026-11-23",
                Warranty::Expired {
                    ended: d("2020-02-29"),
                },
            ),
            (
                Some("2028-02-29"),
                "2028-02-28",
                Warranty::InWarranty {
                    until: d("2028-02-29"),
                    days_left: 1,
                },
            ),
            (None, "2026-11-23", Warranty::Unknown),
        ];
        for (until, on, expected) in cases {
            assert_eq!(status(until.map(d), d(on)), expected, "{until:?} on {on}");
        }
    }

    #[test]
    fn serializes_with_a_state_tag() {
        let json = serde_json::to_value(status(Some(d("2027-01-01")), d("2026-12-31"))).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"state": "in_warranty", "until": "2027-01-01", "days_left": 1})
        );
    }
}
