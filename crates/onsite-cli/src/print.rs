//! How the CLI prints jobs, their activity and the outbox for people.

use chrono::{DateTime, Local, Utc};
use onsite_core::{Activity, OpState, Outbox};
use onsite_protocol::Change;

pub fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

pub fn window(start: Option<DateTime<Utc>>, end: Option<DateTime<Utc>>) -> String {
    match (start, end) {
        (Some(s), Some(e)) => format!("{}–{}", local(s), e.with_timezone(&Local).format("%H:%M")),
        (Some(s), None) => local(s),
        _ => "unscheduled".into(),
    }
}

pub fn print_detail(d: &onsite_core::JobDetail) -> std::io::Result<()> {
    let j = &d.job;
    out!(
        "{}  {}  [{}]  priority {}",
        j.number,
        j.kind,
        j.status,
        j.priority
    );
    out!("{}", j.summary);
    if let Some(desc) = &j.description {
        out!("\n{desc}");
    }
    out!("\nCustomer:   {}", d.customer.name);
    if let Some(p) = &d.customer.phone {
        out!("Phone:      {p}");
    }
    if let Some(e) = &d.customer.email {
        out!("Email:      {e}");
    }
    let town = d
        .site
        .town
        .as_deref()
        .map(|t| format!(", {t}"))
        .unwrap_or_default();
    out!("Site:       {}{town}", d.site.address);
    if let Some(n) = &d.site.access_notes {
        out!("Access:     {n}");
    }
    out!(
        "Scheduled:  {}{}",
        window(j.scheduled_start, j.scheduled_end),
        if d.late { " (late)" } else { "" }
    );
    if let Some(due) = j.sla_due {
        let state = match d.sla {
            onsite_core::Sla::Overdue => " (overdue)",
            onsite_core::Sla::DueSoon => " (due soon)",
            _ => "",
        };
        out!("SLA due:    {}{state}", local(due));
    }
    if let Some(a) = &d.asset {
        out!(
            "\nAsset:      {} (serial {})",
            a.model,
            a.serial.as_deref().unwrap_or("unknown")
        );
        let warranty = match d.warranty {
            Some(onsite_core::Warranty::InWarranty { until, .. }) => {
                format!("in warranty until {until}")
            }
            Some(onsite_core::Warranty::Expired { ended }) => format!("expired on {ended}"),
            _ => "unknown".into(),
        };
        out!("Warranty:   {warranty}");
    }
    if !d.history.is_empty() {
        out!("\nHistory:");
        for h in &d.history {
            let detail = h
                .detail
                .as_deref()
                .map(|d| format!("  ({d})"))
                .unwrap_or_default();
            out!("  {}  {}{detail}", local(h.at), h.status);
        }
    }
    if d.work.seconds > 0 || d.work.running_since.is_some() {
        let minutes = d.work.seconds / 60;
        let running = d
            .work
            .running_since
            .map(|t| format!(", timer running since {}", local(t)))
            .unwrap_or_default();
        out!(
            "Time on site: {} h {:02} min{running}",
            minutes / 60,
            minutes % 60
        );
    }
    if !d.activity.is_empty() {
        out!("\nOn site:");
        for a in &d.activity {
            out!(
                "  {}  {}{}",
                local(a.at),
                describe(&a.change),
                state_note(a)
            );
        }
    }
    if d.read_only {
        out!(
            "\nThis job was given to another technician; it is read-only until your changes to it reach HQ."
        );
    }
    Ok(())
}

fn state_note(a: &Activity) -> String {
    let who =
        a.by.as_deref()
            .filter(|_| !a.mine)
            .map(|b| format!(" — by {b}"))
            .unwrap_or_default();
    let state = match a.state {
        OpState::Applied => String::new(),
        other => format!(
            "  [{}{}]",
            other,
            a.reason.map(|r| format!(": {r}")).unwrap_or_default()
        ),
    };
    let settled = a
        .settled
        .as_ref()
        .map(|s| {
            let note = s
                .note
                .as_deref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default();
            format!(
                "  (settled by {}: {}{note})",
                s.by_name.as_deref().unwrap_or(&s.by),
                s.resolution
            )
        })
        .unwrap_or_default();
    format!("{who}{state}{settled}")
}

/// One line for a change.
pub fn describe(change: &Change) -> String {
    match change {
        Change::Status { to } => format!("status → {to}"),
        Change::Note { text } => format!("note: {}", text.lines().next().unwrap_or_default()),
        Change::Attachment {
            file_name,
            bytes,
            caption,
            ..
        } => format!(
            "attachment {file_name} ({:.1} MB){}",
            *bytes as f64 / 1e6,
            caption
                .as_deref()
                .map(|c| format!(": {c}"))
                .unwrap_or_default()
        ),
        Change::WorkStarted { at } => format!("work started {}", local(*at)),
        Change::WorkStopped { at } => format!("work stopped {}", local(*at)),
        Change::ContactPhone { phone } => format!("contact phone → {phone}"),
        Change::AssetSerial { serial } => format!("serial → {serial}"),
    }
}

/// The outbox as a table.
pub fn print_outbox(outbox: &Outbox) -> std::io::Result<()> {
    out!(
        "{} change(s) waiting to sync; {} conflict(s), {} rejected",
        outbox.waiting,
        outbox.conflicts,
        outbox.rejected
    );
    if outbox.ops.is_empty() {
        return Ok(());
    }
    out!("\n{:<10} {:<12} {:<17} CHANGE", "STATE", "JOB", "RECORDED");
    for e in &outbox.ops {
        let reason = match (e.reason, &e.message) {
            (Some(r), Some(m)) => format!("\n{:<10} {r}: {m}", ""),
            (Some(r), None) => format!("\n{:<10} {r}", ""),
            _ => String::new(),
        };
        out!(
            "{:<10} {:<12} {:<17} {}{reason}",
            e.state,
            e.job_number,
            local(e.created_at),
            describe(&e.change)
        );
    }
    Ok(())
}
