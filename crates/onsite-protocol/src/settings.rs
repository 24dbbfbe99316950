//! HQ's settings an admin changes through the API (`GET/PUT /api/v1/settings`): how the
//! organisation works, as opposed to its reference data. None of these reach the laptops.

use serde::{Deserialize, Serialize};

/// Most days from a visit to its follow-up call.
pub const MAX_FOLLOW_UP_DAYS: u32 = 90;

/// HQ's settings, each with its default when never set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Days from a visit to its follow-up call, 1 to [`MAX_FOLLOW_UP_DAYS`]. Calls already
    /// scheduled keep their day; the new delay applies to calls scheduled from then on.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 90))]
    pub follow_up_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            follow_up_days: crate::feedback::DEFAULT_FOLLOW_UP_DAYS,
        }
    }
}

impl Settings {
    /// Checks every field.
    ///
    /// # Errors
    /// What is wrong, naming the field.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=MAX_FOLLOW_UP_DAYS).contains(&self.follow_up_days) {
            return Err(format!("follow_up_days must be 1 to {MAX_FOLLOW_UP_DAYS}"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_follow_up_delay_is_a_day_to_a_quarter() {
        for (days, ok) in [(0, false), (1, true), (3, true), (90, true), (91, false)] {
            let settings = Settings {
                follow_up_days: days,
            };
            assert_eq!(settings.validate().is_ok(), ok, "{days}");
        }
        assert_eq!(Settings::default().follow_up_days, 3);
        assert!(Settings::default().validate().is_ok());
    }
}
