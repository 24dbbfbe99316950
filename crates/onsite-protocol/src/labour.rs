//! The labour price list: what a chargeable visit costs beyond its parts. An HQ reference
//! record every laptop holds, so a report made offline prices the work the same way HQ would.

use serde::{Deserialize, Serialize};

/// The dearest call-out or hourly rate accepted, in cents: a typing mistake guard (£100,000).
pub const MAX_CENTS: i64 = 10_000_000;

/// The organisation's labour prices, in cents of the currency parts are priced in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LabourPrices {
    /// Charged once for a chargeable visit, whatever its length (travel and call-out).
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10_000_000))]
    pub call_out_cents: i64,
    /// Charged per hour of work time recorded on the job.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10_000_000))]
    pub hourly_cents: i64,
    /// Work time is charged by started block of this many minutes, 1 to 60: 15 charges 20
    /// minutes as 30.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 60))]
    pub increment_minutes: u32,
}

/// One line of labour on a bill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabourLine {
    /// The call-out charge.
    CallOut {
        /// What it costs.
        cents: i64,
    },
    /// Work time charged at the hourly rate.
    Time {
        /// Minutes charged: those worked, rounded up to the increment.
        minutes: i64,
        /// The rate they are charged at.
        hourly_cents: i64,
        /// What they cost.
        cents: i64,
    },
}

impl LabourLine {
    /// What the line costs.
    #[must_use]
    pub fn cents(&self) -> i64 {
        match *self {
            Self::CallOut { cents } | Self::Time { cents, .. } => cents,
        }
    }
}

impl LabourPrices {
    /// Checks every field.
    ///
    /// # Errors
    /// What is wrong, naming the field.
    pub fn validate(&self) -> Result<(), String> {
        for (field, cents) in [
            ("call_out_cents", self.call_out_cents),
            ("hourly_cents", self.hourly_cents),
        ] {
            if !(0..=MAX_CENTS).contains(&cents) {
                return Err(format!("{field} must be 0 to {MAX_CENTS}"));
            }
        }
        if !(1..=60).contains(&self.increment_minutes) {
            return Err("increment_minutes must be 1 to 60".into());
        }
        Ok(())
    }

    /// The labour for a visit with `seconds` of work time: the call-out (unless it is free)
    /// and the work time (when there is any and the hourly rate is not zero). Minutes charged
    /// are the work time's started minutes rounded up to the increment; the amount is rounded
    /// to the nearest cent, half up.
    #[must_use]
    pub fn lines(&self, seconds: u64) -> Vec<LabourLine> {
        let mut lines = Vec::new();
        if self.call_out_cents > 0 {
            lines.push(LabourLine::CallOut {
                cents: self.call_out_cents,
            });
        }
        let increment = u64::from(self.increment_minutes.max(1));
        let minutes =
            i64::try_from(seconds.div_ceil(60).div_ceil(increment) * increment).unwrap_or(i64::MAX);
        if minutes > 0 && self.hourly_cents > 0 {
            lines.push(LabourLine::Time {
                minutes,
                hourly_cents: self.hourly_cents,
                cents: self.hourly_cents.saturating_mul(minutes).saturating_add(30) / 60,
            });
        }
        lines
    }
}

/// An amount typed as units and at most two decimals (`45`, `45.5`, `45.50`) in cents.
///
/// # Errors
/// What is wrong with it: not a number, negative, more than two decimals, or over
/// [`MAX_CENTS`].
pub fn parse_amount(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let (units, decimals) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(units) || !(decimals.is_empty() || digits(decimals)) || text.ends_with('.') {
        return Err(format!("{text:?} is not an amount like 45 or 45.50"));
    }
    if decimals.len() > 2 {
        return Err(format!("{text:?} has more than two decimals"));
    }
    let too_big = || format!("{text:?} is over {}", MAX_CENTS / 100);
    let units: i64 = units.parse().map_err(|_| too_big())?;
    let fraction: i64 = format!("{decimals:0<2}").parse().unwrap_or(0);
    let cents = units
        .checked_mul(100)
        .and_then(|c| c.checked_add(fraction))
        .filter(|c| *c <= MAX_CENTS)
        .ok_or_else(too_big)?;
    Ok(cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_units_and_at_most_two_decimals() {
        let cases = [
            ("45", Ok(4500)),
            ("45.5", Ok(4550)),
            ("45.50", Ok(4550)),
            ("0.07", Ok(7)),
            (" 60 ", Ok(6000)),
            ("0", Ok(0)),
            ("100000", Ok(MAX_CENTS)),
            ("100000.01", Err("over")),
            ("99999999999999999999", Err("over")),
            ("45.555", Err("two decimals")),
            ("-1", Err("not an amount")),
            ("45.", Err("not an amount")),
            (".5", Err("not an amount")),
            ("£45", Err("not an amount")),
            ("4,5", Err("not an amount")),
            ("", Err("not an amount")),
            ("1e3", Err("not an amount")),
        ];
        for (text, want) in cases {
            match (parse_amount(text), want) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{text}"),
                (Err(e), Err(words)) => assert!(e.contains(words), "{text}: {e}"),
                (got, want) => panic!("{text}: got {got:?}, wanted {want:?}"),
            }
        }
    }

    fn prices(call_out_cents: i64, hourly_cents: i64, increment_minutes: u32) -> LabourPrices {
        LabourPrices {
            call_out_cents,
            hourly_cents,
            increment_minutes,
        }
    }

    #[test]
    fn work_time_is_charged_by_started_increment() {
        // (call-out, hourly, increment, seconds worked) → lines
        let cases: Vec<(LabourPrices, u64, Vec<LabourLine>)> = vec![
            (
                prices(4500, 6000, 15),
                0,
                vec![LabourLine::CallOut { cents: 4500 }],
            ),
            (
                prices(4500, 6000, 15),
                1,
                vec![
                    LabourLine::CallOut { cents: 4500 },
                    LabourLine::Time {
                        minutes: 15,
                        hourly_cents: 6000,
                        cents: 1500,
                    },
                ],
            ),
            (
                prices(0, 6000, 15),
                20 * 60,
                vec![LabourLine::Time {
                    minutes: 30,
                    hourly_cents: 6000,
                    cents: 3000,
                }],
            ),
            (
                prices(0, 6000, 15),
                30 * 60,
                vec![LabourLine::Time {
                    minutes: 30,
                    hourly_cents: 6000,
                    cents: 3000,
                }],
            ),
            (
                prices(0, 6000, 15),
                30 * 60 + 1,
                vec![LabourLine::Time {
                    minutes: 45,
                    hourly_cents: 6000,
                    cents: 4500,
                }],
            ),
            (
                prices(0, 5000, 1),
                61 * 60,
                vec![LabourLine::Time {
                    minutes: 61,
                    hourly_cents: 5000,
                    // 5000 × 61 / 60 = 5083.33…
                    cents: 5083,
                }],
            ),
            (
                prices(0, 1000, 1),
                60 * 60 + 60 * 3,
                vec![LabourLine::Time {
                    minutes: 63,
                    hourly_cents: 1000,
                    // 1050 exactly
                    cents: 1050,
                }],
            ),
            (
                prices(0, 100, 1),
                9 * 60,
                vec![LabourLine::Time {
                    minutes: 9,
                    hourly_cents: 100,
                    // 15 exactly; 100 × 9 / 60 = 15
                    cents: 15,
                }],
            ),
            (
                prices(0, 10, 1),
                3 * 60,
                vec![LabourLine::Time {
                    minutes: 3,
                    hourly_cents: 10,
                    // 0.5 rounds half up to 1
                    cents: 1,
                }],
            ),
            (prices(0, 0, 15), 3600, vec![]),
            (
                prices(2500, 0, 60),
                3600,
                vec![LabourLine::CallOut { cents: 2500 }],
            ),
            (
                prices(0, MAX_CENTS, 1),
                u64::MAX,
                vec![LabourLine::Time {
                    minutes: i64::try_from(u64::MAX.div_ceil(60)).unwrap(),
                    hourly_cents: MAX_CENTS,
                    // saturates rather than wrapping
                    cents: i64::MAX / 60,
                }],
            ),
        ];
        for (p, seconds, want) in cases {
            assert_eq!(p.lines(seconds), want, "{p:?} for {seconds} s");
        }
    }

    #[test]
    fn prices_out_of_range_are_refused_by_field() {
        let cases = [
            (prices(4500, 6000, 15), None),
            (prices(0, 0, 1), None),
            (prices(MAX_CENTS, MAX_CENTS, 60), None),
            (prices(-1, 6000, 15), Some("call_out_cents")),
            (prices(MAX_CENTS + 1, 6000, 15), Some("call_out_cents")),
            (prices(0, -1, 15), Some("hourly_cents")),
            (prices(0, 6000, 0), Some("increment_minutes")),
            (prices(0, 6000, 61), Some("increment_minutes")),
        ];
        for (p, want) in cases {
            match (p.validate(), want) {
                (Ok(()), None) => {}
                (Err(e), Some(field)) => assert!(e.contains(field), "{p:?}: {e}"),
                (got, want) => panic!("{p:?}: got {got:?}, wanted {want:?}"),
            }
        }
    }
}
