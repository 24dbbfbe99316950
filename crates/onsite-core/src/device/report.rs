//! The service report on the laptop: the job as it stands, with the organisation's letterhead
//! and the photos taken here, written as PDF with no network.

use super::Device;
use crate::error::{CoreError, Result};
use crate::report::{ReportExtras, report_of};
use crate::store::Setting;
use chrono::{DateTime, FixedOffset, Utc};
use onsite_protocol::Change;
use onsite_protocol::signoff::{self, BlobRef, SignOff};
use onsite_protocol::warranty::FaultCategory;
use onsite_report::{Company, Photo, Signature};

impl Device {
    /// The job's service report as it stands at `now` (in the laptop's time zone), as PDF.
    /// Photos whose content is not on this laptop (taken on another) are left out.
    ///
    /// # Errors
    /// [`CoreError::UnknownJob`], [`CoreError::Store`], or [`CoreError::Report`] when the PDF
    /// cannot be written.
    pub fn report(&self, number: &str, now: DateTime<FixedOffset>) -> Result<Vec<u8>> {
        self.report_with(number, None, now)
    }

    /// The report with `signature` in its sign-off block.
    fn report_with(
        &self,
        number: &str,
        signature: Option<Signature>,
        now: DateTime<FixedOffset>,
    ) -> Result<Vec<u8>> {
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
                signature,
                technician,
                warranty,
                labour: self.store.labour_prices()?,
            },
            now,
        );
        onsite_report::render(&report).map_err(|e| CoreError::Report(e.to_string()))
    }

    /// The customer signs the job's report at `now`: the report is made with their name, the
    /// time and what they drew (a PNG from the pad; none when they typed their name and
    /// ticked), kept in the data folder under its hash with the drawing, and a sign-off op
    /// naming both is recorded. Both are uploaded before the op, like photos.
    ///
    /// # Errors
    /// [`CoreError::InvalidInput`] for a blank or overlong name or a drawing that is not a
    /// readable PNG of at most [`signoff::MAX_SIGNATURE_BYTES`]; as [`Device::report`] and
    /// [`Device::record`].
    pub fn sign(
        &self,
        number: &str,
        signer: &str,
        drawing: Option<&[u8]>,
        now: DateTime<FixedOffset>,
    ) -> Result<crate::store::OutboxEntry> {
        let signer = signer.trim();
        signoff::validate_signer(signer).map_err(CoreError::InvalidInput)?;
        if let Some(drawing) = drawing {
            if drawing.len() as u64 > signoff::MAX_SIGNATURE_BYTES {
                return Err(CoreError::InvalidInput(format!(
                    "the signature has {} bytes; at most {} are accepted",
                    drawing.len(),
                    signoff::MAX_SIGNATURE_BYTES
                )));
            }
            if !onsite_report::png_readable(drawing) {
                return Err(CoreError::InvalidInput(
                    "the signature is not a readable PNG image".into(),
                ));
            }
        }
        let signature = Signature {
            signer: signer.to_string(),
            signed_at: now.format("%-d %B %Y, %H:%M").to_string(),
            image: drawing.map(<[u8]>::to_vec),
        };
        let pdf = self.report_with(number, Some(signature), now)?;
        let drawn = drawing
            .map(|d| crate::attachments::capture_bytes(&self.data_dir, "signature.png", d))
            .transpose()?;
        let report = crate::attachments::capture_bytes(
            &self.data_dir,
            &format!("report-{number}.pdf"),
            &pdf,
        )?;
        let change = Change::SignedOff {
            report: BlobRef {
                sha256: report.sha256.clone(),
                bytes: report.bytes,
            },
            signer: signer.to_string(),
            signature: drawn.map(|d| BlobRef {
                sha256: d.sha256,
                bytes: d.bytes,
            }),
            signed_at: now.with_timezone(&Utc),
        };
        self.record(number, change, now.with_timezone(&Utc))
            .inspect_err(|_| {
                // Each signed report is unique (it carries the time): nothing else names it.
                let _ = crate::attachments::remove(&self.data_dir, &report.sha256);
            })
    }

    /// The job's latest signed report and its PDF, if the customer signed one on this laptop
    /// (or its content is here).
    ///
    /// # Errors
    /// [`CoreError::UnknownJob`], [`CoreError::UnknownAttachment`] when the signed PDF is not
    /// on this laptop, [`CoreError::Store`].
    pub fn signed_report(
        &self,
        number: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(SignOff, Vec<u8>)>> {
        let detail = self.job(number, now, now.date_naive())?;
        let Some(latest) = detail.visit.signoffs.last().cloned() else {
            return Ok(None);
        };
        let pdf = self.attachment(&latest.report.sha256)?;
        Ok(Some((latest, pdf)))
    }
}
