//! Realistic job import files.

use serde_json::json;

/// One JSON line for job `n`, assigned to `technician` (or nobody).
pub fn job_line(n: usize, technician: Option<&str>) -> String {
    let kinds = ["installation", "debugging", "maintenance", "repair"];
    let towns = ["Leeds", "York", "Bradford", "Harrogate", "Wakefield"];
    json!({
        "number": format!("J-{n:06}"),
        "kind": kinds[n % kinds.len()],
        "summary": format!("Visit {n}: boiler pressure drops overnight"),
        "description": "Customer reports the pressure gauge falls below 1 bar by morning.",
        "priority": if n.is_multiple_of(10) { "urgent" } else { "normal" },
        "technician": technician,
        "customer": {"name": format!("Customer {}", n / 2), "phone": format!("+44 113 496 {:04}", n / 2 % 10_000)},
        "site": {"address": format!("{} Station Road", n % 300 + 1), "town": towns[n % towns.len()], "access_notes": "Side gate"},
        "asset": {"model": "HeatMax 300", "serial": format!("HM3-{n:07}"), "installed_on": "2023-05-01",
                  "warranty_until": if n.is_multiple_of(2) { "2030-05-01" } else { "2025-05-01" }},
        "scheduled_start": format!("2026-12-{:02}T08:00:00Z", n % 28 + 1),
        "scheduled_end": format!("2026-12-{:02}T10:00:00Z", n % 28 + 1),
    })
    .to_string()
}

/// `count` jobs numbered from 1, assigned round-robin to `technicians` (an empty name leaves
/// the job unassigned). Returns the file and, per technician, the numbers they should get.
pub fn jobs(count: usize, technicians: &[&str]) -> (String, Vec<Vec<String>>) {
    jobs_from(1, count, technicians)
}

/// As [`jobs`], numbered from `first`.
pub fn jobs_from(first: usize, count: usize, technicians: &[&str]) -> (String, Vec<Vec<String>>) {
    let mut file = String::with_capacity(count * 700);
    let mut expected = vec![Vec::new(); technicians.len()];
    for n in first..first + count {
        let slot = n % technicians.len();
        let tech = Some(technicians[slot]).filter(|t| !t.is_empty());
        file.push_str(&job_line(n, tech));
        file.push('\n');
        expected[slot].push(format!("J-{n:06}"));
    }
    (file, expected)
}
