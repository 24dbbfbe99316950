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
    print_visit(&d.visit)?;
    print_sign_off(d)?;
    if !d.service_history.is_empty() {
        out!("\nService history of this product:");
        for v in &d.service_history {
            let parts: Vec<String> = v
                .parts
                .iter()
                .map(|p| format!("{} × {}", p.qty, p.sku))
                .collect();
            let decision = v
                .decision
                .as_ref()
                .map(|d| format!("; warranty: {} for {}", d.remedy, d.fault))
                .unwrap_or_default();
            out!(
                "  {}  {:<10} {} [{}] {}{}{decision}",
                v.at.with_timezone(&Local).format("%Y-%m-%d"),
                v.number,
                v.kind,
                v.status,
                v.summary,
                if parts.is_empty() {
                    String::new()
                } else {
                    format!("; parts: {}", parts.join(", "))
                }
            );
        }
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
        Change::ChecklistPinned { templates } => {
            let kept: Vec<String> = templates
                .iter()
                .map(|t| format!("{}@{}", t.key, t.version))
                .collect();
            if kept.is_empty() {
                "work started: no checklist applies".into()
            } else {
                format!("checklist versions kept: {}", kept.join(", "))
            }
        }
        Change::ChecklistAnswer {
            template,
            item,
            value,
        } => format!("checklist {}.{item} = {}", template.key, shown(value)),
        Change::PartUsed {
            sku,
            qty,
            serial,
            removed_serial,
        } => format!(
            "part used: {qty} × {sku}{}{}",
            serial
                .as_deref()
                .map(|s| format!(" serial {s}"))
                .unwrap_or_default(),
            removed_serial
                .as_deref()
                .map(|s| format!(" (replaced {s})"))
                .unwrap_or_default()
        ),
        Change::WarrantyDecided {
            fault,
            remedy,
            rule,
            ..
        } => format!("warranty: {remedy} for {fault} ({rule})"),
        Change::Voided { voids, .. } => format!("voided {voids}"),
        Change::PartsRequested { sku, qty, .. } => format!("parts requested: {qty} × {sku}"),
        Change::SignedOff {
            signer, signature, ..
        } => format!(
            "report signed by {signer}{}",
            if signature.is_some() {
                ""
            } else {
                " (typed name)"
            }
        ),
        Change::Rated {
            satisfaction,
            recommend,
            complaint,
            ..
        } => format!(
            "rated {satisfaction}/5{}{}",
            recommend
                .map(|r| format!(", would recommend {r}/10"))
                .unwrap_or_default(),
            if complaint.is_some() {
                ", with a complaint"
            } else {
                ""
            }
        ),
    }
}

/// An answer as people read it; a photo by the start of its hash.
fn shown(value: &onsite_protocol::checklist::AnswerValue) -> String {
    match value {
        onsite_protocol::checklist::AnswerValue::Text(t) if onsite_protocol::op::is_sha256(t) => {
            format!("photo {}…", &t[..12])
        }
        other => other.to_string(),
    }
}

/// The visit record: parts used, the decision, parts asked for.
fn print_visit(v: &onsite_core::Visit) -> std::io::Result<()> {
    let c = &v.checklist;
    if !c.sections.is_empty() {
        let answered: usize = c.sections.iter().map(|s| s.answers.len()).sum();
        let items: usize = c.sections.iter().map(|s| s.template.items.len()).sum();
        out!(
            "\nChecklist:  {answered} of {items} answered{}",
            if c.missing.is_empty() {
                String::new()
            } else {
                format!(", {} required missing", c.missing.len())
            }
        );
    }
    if !v.parts.is_empty() {
        out!("\nParts used:");
        for p in &v.parts {
            let u = &p.used;
            let price = p
                .unit_price_cents
                .map(|c| {
                    format!(
                        "  {}",
                        onsite_protocol::part::format_price(c * i64::from(u.qty))
                    )
                })
                .unwrap_or_default();
            out!(
                "  {} × {:<14} {}{}{}{price}{}",
                u.qty,
                u.sku,
                p.name.as_deref().unwrap_or("(not in the catalog)"),
                u.serial
                    .as_deref()
                    .map(|s| format!(", serial {s}"))
                    .unwrap_or_default(),
                u.removed_serial
                    .as_deref()
                    .map(|s| format!(", replaced {s}"))
                    .unwrap_or_default(),
                if u.voided { "  (voided)" } else { "" }
            );
        }
    }
    for d in &v.decisions {
        out!(
            "\nWarranty:   {} for {} ({}, policy version {}){}",
            d.remedy,
            d.fault,
            d.rule,
            d.policy_version,
            if d.voided { "  (voided)" } else { "" }
        );
        if let Some(r) = &d.return_ref {
            out!("Return ref: {r}");
        }
        if let Some(s) = &d.replacement_serial {
            out!("New unit:   serial {s}");
        }
    }
    for r in &v.requests {
        match &r.filled {
            None => out!("\nWaiting for: {} × {}", r.qty, r.sku),
            Some(f) => out!(
                "\nRequested:   {} × {}, filled {} by {}: {}",
                r.qty,
                r.sku,
                local(f.at),
                f.by,
                f.how
            ),
        }
    }
    if let Some(r) = v.ratings.last() {
        out!(
            "Rating:     {} ({}/5){}{}",
            onsite_protocol::signoff::satisfaction_words(r.satisfaction),
            r.satisfaction,
            r.recommend
                .map(|n| format!(", would recommend {n}/10"))
                .unwrap_or_default(),
            if r.call_ok { ", agrees to a call" } else { "" }
        );
        if let Some(c) = &r.complaint {
            out!("Complaint:  {c}");
        }
    }
    Ok(())
}

/// The customer's sign-off and where its report and letter stand.
fn print_sign_off(d: &onsite_core::JobDetail) -> std::io::Result<()> {
    let v = &d.visit;
    let Some(signed) = v.signoffs.last() else {
        return Ok(());
    };
    let state = d
        .activity
        .iter()
        .find(|a| a.op_id == signed.op_id)
        .map(|a| a.state);
    out!(
        "\nSigned:     by {} on {}{}{}",
        signed.signer,
        local(signed.signed_at),
        if signed.signature.is_some() {
            ""
        } else {
            " (typed name)"
        },
        if signed.changed_since {
            "  — changed since signed: ask for a new signature"
        } else {
            ""
        }
    );
    if v.signoffs.len() > 1 {
        out!(
            "            ({} earlier signed report(s) kept)",
            v.signoffs.len() - 1
        );
    }
    out!(
        "Report:     {}",
        match state {
            Some(onsite_core::OpState::Applied) => "received at HQ",
            Some(onsite_core::OpState::Rejected | onsite_core::OpState::Conflict) => {
                "refused by HQ (see the change's reason)"
            }
            _ => "waits to be sent: sync when online",
        }
    );
    if let Some(letter) = &d.letter {
        use onsite_protocol::mail::LetterState;
        let words = match letter.state {
            LetterState::Sent => match letter.sent_at {
                Some(at) => format!("sent to the customer {}", local(at)),
                None => "sent to the customer".into(),
            },
            LetterState::Waiting | LetterState::Sending => "waiting at HQ to be sent".into(),
            LetterState::NoAddress => "to be posted: HQ has no e-mail address".into(),
            LetterState::Unconfirmed | LetterState::Failed => {
                "not confirmed; HQ is checking".into()
            }
        };
        out!("Letter:     {} — {words}", letter.state);
    }
    Ok(())
}

/// A job's checklists, item by item.
pub fn print_checklist(number: &str, c: &onsite_core::Checklist) -> std::io::Result<()> {
    if c.sections.is_empty() && c.unavailable.is_empty() {
        out!("job {number} has no checklist");
        return Ok(());
    }
    for s in &c.sections {
        let t = &s.template;
        out!(
            "{} ({}@{}{})",
            t.title,
            t.key,
            t.version,
            if c.pinned {
                ", kept since work started"
            } else {
                ""
            }
        );
        for item in &t.items {
            let answer = s.answers.iter().find(|a| a.item == item.key);
            let value = match answer {
                Some(a) => {
                    let unit = item
                        .unit
                        .as_deref()
                        .map(|u| format!(" {u}"))
                        .unwrap_or_default();
                    let flag = if a.out_of_range {
                        "  (out of range)"
                    } else {
                        ""
                    };
                    format!("{}{unit}{flag}", shown(&a.value))
                }
                None if item.required => "— required".into(),
                None => "—".into(),
            };
            let range = match (item.min, item.max) {
                (Some(lo), Some(hi)) => format!(" [{lo}–{hi}]"),
                (Some(lo), None) => format!(" [≥ {lo}]"),
                (None, Some(hi)) => format!(" [≤ {hi}]"),
                _ => String::new(),
            };
            let options = if item.options.is_empty() {
                String::new()
            } else {
                format!(" ({})", item.options.join(" / "))
            };
            out!(
                "  {:<16} {:<34} {value}",
                item.key,
                format!("{}{range}{options}", item.label)
            );
        }
    }
    for u in &c.unavailable {
        out!(
            "checklist {}@{} is not on this laptop; sync with HQ",
            u.key,
            u.version
        );
    }
    if c.missing.is_empty() {
        out!("\nEvery required item is answered.");
    } else {
        let named: Vec<String> = c.missing.iter().map(|m| m.item.clone()).collect();
        out!("\nCompletion waits for: {}", named.join(", "));
    }
    Ok(())
}

/// The remedies the warranty allows for a fault, each with its rule.
pub fn print_warranty(number: &str, w: &onsite_core::WarrantyChoice) -> std::io::Result<()> {
    out!(
        "{number}: {} — {} fault, policy version {}",
        w.model,
        w.fault,
        w.policy.version
    );
    if w.found.needs_review {
        out!(
            "The product's start date is not on record: any remedy may be recorded, and HQ reviews it."
        );
    }
    for o in &w.options {
        out!("  {:<11} {}", o.remedy.as_str(), o.words);
    }
    out!(
        "\nRecord one with: onsite job decide {number} REMEDY --fault {}",
        w.fault
    );
    Ok(())
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

/// Ready for the day, as a checklist for the technician.
pub fn print_ready(r: &onsite_core::ready::Readiness) -> std::io::Result<()> {
    out!(
        "{}: {}",
        r.day.format("%A %-d %B"),
        if r.ready {
            "ready to be worked offline"
        } else {
            "not ready yet"
        }
    );
    for p in &r.problems {
        out!("  ! {p}");
    }
    if r.jobs.is_empty() {
        out!("\nNo open jobs scheduled for today.");
    }
    for j in &r.jobs {
        out!(
            "\n{:<12} {:<24} {}  {} checklist(s), {} guide(s)  {}",
            j.number,
            truncate(&j.customer, 24),
            j.model.as_deref().unwrap_or("no product"),
            j.checklists,
            j.guides,
            if j.problems.is_empty() {
                "ok"
            } else {
                "NOT READY"
            }
        );
        for p in &j.problems {
            out!("  ! {p}");
        }
        for n in &j.notes {
            out!("  - {n}");
        }
    }
    if !r.missing_parts.is_empty() {
        out!("\nParts that fit today's products and are not in the van:");
        for p in &r.missing_parts {
            out!("  {:<14} {} ({})", p.sku, p.name, p.models.join(", "));
        }
    }
    Ok(())
}

/// `s` cut to `max` characters, the last an ellipsis when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}
