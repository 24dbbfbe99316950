//! The service report on the laptop: the job as it stands, with the organisation's letterhead
//! and the photos taken here, written as PDF with no network.

use super::Device;
use crate::error::{CoreError, Result};
use crate::report::{ReportExtras, report_of};
use crate::store::Setting;
use chrono::{DateTime, FixedOffset, Utc};
use onsite_protocol::Change;
use onsite_protocol::warranty::FaultCategory;
use onsite_report::{Company, Photo};

impl Device {
    /// The job's service report as it stands at `now` (in the laptop's time zone), as PDF.
    /// Photos whose content is not on this laptop (taken on another) are left out.
    ///
    /// # Errors
    /// [`CoreError::UnknownJob`], [`CoreError::Store`], or [`CoreError::Report`] when the PDF
    /// cannot be written.
    pub fn report(&self, number: &str, now: DateTime<FixedOffset>) -> Result<Vec<u8>> {
        let detail = self.job(number, now.with_timezone(&Utc), now.date_naive())?;
        let company = match self.store.letterhead()? {
            Some(l) => Company {
                logo: l.logo_bytes().ok().flatten(),
                name: l.name,
                lines: l.lines,
            },
            None => Company::default(),
        };
        let photos = detail
            .activity
            .iter()
            .filter_map(|a| match &a.change {
                Change::Attachment {
                    sha256,
                    media_type,
                    file_name,
                    caption,
                    ..
                } if media_type.starts_with("image/") => {
                    let content = self.attachment(sha256).ok()?;
                    Some(Photo {
                        content,
                        caption: caption.clone().unwrap_or_else(|| file_name.clone()),
                    })
                }
                _ => None,
            })
            .collect();
        let standing = detail.visit.decisions.iter().rev().find(|d| !d.voided);
        let rule = match (standing, &detail.asset) {
            (Some(d), Some(asset)) => self.store.decision_words(&asset.model, d)?,
            _ => None,
        };
        // Without an end date of its own, the product's warranty is the policy's repair period
        // from its purchase (or installation) date, when the laptop holds the policy.
        let today = now.date_naive();
        let warranty = match self
            .store
            .warranty(number, FaultCategory::Performance, today)
        {
            Ok(choice) => choice.found.repair_until.map(|until| {
                let date = until.format("%-d %B %Y");
                if until >= today {
                    format!("In warranty until {date} (the policy's repair period)")
                } else {
                    format!("Warranty ended on {date} (the policy's repair period)")
                }
            }),
            Err(_) => None,
        };
        let technician = match (
            &detail.job.technician,
            self.store.setting(Setting::Username)?,
        ) {
            (Some(t), Some(me)) if *t == me => self.store.setting(Setting::DisplayName)?,
            _ => None,
        };
        let report = report_of(
            &detail,
            ReportExtras {
                company,
                photos,
                rule,
                signature: None,
                technician,
                warranty,
            },
            now,
        );
        onsite_report::render(&report).map_err(|e| CoreError::Report(e.to_string()))
    }
}
