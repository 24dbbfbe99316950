//! Who should go: technicians ranked for a job by their skills against its product and kind,
//! their free time in the dispatcher's working day, parts for the product in their van, and
//! how far their day's visits are from the site. Every point given or taken comes with its
//! reason in words, so a dispatcher can see why and overrule it.

use chrono::{DateTime, Duration, DurationRound, Utc};
use onsite_protocol::JobKind;
use onsite_protocol::board::{Consideration, Suggestion, SuggestionReason};

/// What the ranking knows of the job.
#[derive(Clone, Debug)]
pub struct JobFacts {
    /// Its kind.
    pub kind: JobKind,
    /// Its product's model, when it has one.
    pub model: Option<String>,
    /// The site's latitude and longitude, when known.
    pub position: Option<(f64, f64)>,
    /// How long the visit takes.
    pub length: Duration,
}

/// One of a technician's visits in the day.
#[derive(Clone, Debug)]
pub struct Visit {
    /// The job's number.
    pub number: String,
    /// Its window.
    pub start: DateTime<Utc>,
    /// Its end.
    pub end: DateTime<Utc>,
    /// The site's town.
    pub town: Option<String>,
    /// The site's position, when known.
    pub position: Option<(f64, f64)>,
}

/// A technician who could go.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Their skills.
    pub skills: Vec<String>,
    /// Their visits meeting the working day (any order).
    pub visits: Vec<Visit>,
    /// Names of the parts in their van made for the job's product (not the ones that fit
    /// anything).
    pub parts: Vec<String>,
}

/// Points per consideration: a matching skill outweighs a free afternoon, which outweighs
/// a spare part or a shorter drive.
const SKILL_PRODUCT: i32 = 4;
const SKILL_KIND: i32 = 1;
const NO_SKILL: i32 = -2;
const SLOT: i32 = 3;
const NO_SLOT: i32 = -4;
const MAX_PARTS: i32 = 2;
/// Parts a reason names; it counts the rest.
const NAMED_PARTS: usize = 2;

/// The words of a skill or a product name, reduced so "boilers" meets "combi boiler" and
/// "air-conditioning" meets "air conditioner".
fn stems(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.strip_suffix('s').filter(|r| r.len() >= 3).unwrap_or(w);
            ["ing", "er"]
                .iter()
                .find_map(|s| w.strip_suffix(s).filter(|r| r.len() >= 3))
                .unwrap_or(w)
                .to_string()
        })
        .collect()
}

/// Whether `skill` names the product `model`: every word of the skill is a word of the model.
pub fn skill_fits_model(skill: &str, model: &str) -> bool {
    let (skill, model) = (stems(skill), stems(model));
    !skill.is_empty() && skill.iter().all(|w| model.contains(w))
}

/// Whether `skill` names the kind of work.
fn skill_fits_kind(skill: &str, kind: JobKind) -> bool {
    stems(skill) == stems(kind.as_str())
}

/// The earliest quarter-hour start in [`from`, `to`) where `length` fits between `visits`.
pub fn slot(
    visits: &[Visit],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    length: Duration,
) -> Option<DateTime<Utc>> {
    let quarter = Duration::minutes(15);
    let mut busy: Vec<(DateTime<Utc>, DateTime<Utc>)> =
        visits.iter().map(|v| (v.start, v.end)).collect();
    busy.sort();
    // Up from `from`, rounded up to a quarter hour.
    let up = |t: DateTime<Utc>| {
        let down = t.duration_trunc(quarter).unwrap_or(t);
        if down < t { down + quarter } else { down }
    };
    let mut at = up(from);
    for (start, end) in busy {
        if at + length <= start {
            break;
        }
        if end > at {
            at = up(end);
        }
    }
    (at + length <= to).then_some(at)
}

/// Minutes of [`from`, `to`) not covered by any visit.
pub fn free_minutes(visits: &[Visit], from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    let mut busy: Vec<(DateTime<Utc>, DateTime<Utc>)> = visits
        .iter()
        .map(|v| (v.start.max(from), v.end.min(to)))
        .filter(|(s, e)| s < e)
        .collect();
    busy.sort();
    let mut taken = Duration::zero();
    let mut reach = from;
    for (start, end) in busy {
        let start = start.max(reach);
        if end > start {
            taken += end - start;
            reach = end;
        }
    }
    ((to - from) - taken).num_minutes()
}

/// Great-circle distance in metres between two (latitude, longitude) points.
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    const EARTH_M: f64 = 6_371_000.0;
    let (la1, la2) = (a.0.to_radians(), b.0.to_radians());
    let (dla, dlo) = ((b.0 - a.0).to_radians(), (b.1 - a.1).to_radians());
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * EARTH_M * h.sqrt().min(1.0).asin()
}

/// Hours and minutes, for people: "3 h 30 min", "45 min".
fn span(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// Ranks `candidates` for `job` in the working day [`from`, `to`): best first; equal scores
/// by more free time, then by name.
pub fn rank(
    job: &JobFacts,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    candidates: Vec<Candidate>,
) -> Vec<Suggestion> {
    let mut ranked: Vec<Suggestion> = candidates
        .into_iter()
        .map(|c| judge(job, from, to, c))
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(b.free_minutes.cmp(&a.free_minutes))
            .then_with(|| a.display_name.cmp(&b.display_name))
    });
    ranked
}

fn judge(job: &JobFacts, from: DateTime<Utc>, to: DateTime<Utc>, c: Candidate) -> Suggestion {
    let mut score = 0;
    let mut reasons = Vec::new();
    let mut say = |about, good, text: String| {
        reasons.push(SuggestionReason { about, good, text });
    };

    // Skills.
    let for_product: Vec<&String> = job.model.as_deref().map_or_else(Vec::new, |m| {
        c.skills.iter().filter(|s| skill_fits_model(s, m)).collect()
    });
    let for_kind = c.skills.iter().find(|s| skill_fits_kind(s, job.kind));
    if let Some(skill) = for_product.first() {
        score += SKILL_PRODUCT;
        say(Consideration::Skills, true, format!("knows {skill}"));
    } else if let Some(model) = &job.model {
        score += NO_SKILL;
        say(
            Consideration::Skills,
            false,
            format!("no skill listed for the {model}"),
        );
    }
    if let Some(skill) = for_kind {
        score += SKILL_KIND;
        say(Consideration::Skills, true, format!("does {skill}"));
    }

    // Time.
    let free = free_minutes(&c.visits, from, to);
    let slot = slot(&c.visits, from, to, job.length);
    let booked = c.visits.len();
    let visits = match booked {
        0 => "nothing booked".to_string(),
        1 => "1 visit booked".to_string(),
        n => format!("{n} visits booked"),
    };
    if slot.is_some() {
        // More free time counts a little more: at most 2 points for 4 hours or more.
        score += SLOT + i32::try_from((free / 120).min(2)).unwrap_or(0);
        say(
            Consideration::Time,
            true,
            format!("{} free ({visits})", span(free)),
        );
    } else {
        score += NO_SLOT;
        say(
            Consideration::Time,
            false,
            format!(
                "no free {} in the day ({visits})",
                span(job.length.num_minutes())
            ),
        );
    }

    // Parts.
    if let Some(model) = &job.model {
        let n = i32::try_from(c.parts.len()).unwrap_or(i32::MAX);
        if n > 0 {
            score += n.min(MAX_PARTS);
            let listed = c
                .parts
                .iter()
                .take(NAMED_PARTS)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            let more = if c.parts.len() > NAMED_PARTS {
                ", …"
            } else {
                ""
            };
            say(
                Consideration::Parts,
                true,
                format!(
                    "{n} {} for the {model} in the van: {listed}{more}",
                    if n == 1 { "part" } else { "parts" }
                ),
            );
        } else {
            say(
                Consideration::Parts,
                false,
                format!("no parts for the {model} in the van"),
            );
        }
    }

    // Distance: from the nearest of the day's visits with a known place.
    let nearest = job.position.and_then(|site| {
        c.visits
            .iter()
            .filter_map(|v| v.position.map(|p| (distance_m(site, p), v)))
            .min_by(|a, b| a.0.total_cmp(&b.0))
    });
    if let Some((metres, visit)) = &nearest {
        let km = metres / 1000.0;
        score += match km {
            k if k <= 10.0 => 3,
            k if k <= 25.0 => 2,
            k if k <= 50.0 => 1,
            _ => 0,
        };
        let place = visit
            .town
            .as_deref()
            .map(|t| format!(" in {t}"))
            .unwrap_or_default();
        say(
            Consideration::Distance,
            km <= 50.0,
            format!("{km:.0} km from their visit {}{place}", visit.number),
        );
    }

    Suggestion {
        username: c.username,
        display_name: c.display_name,
        score,
        reasons,
        free_minutes: free,
        slot,
        distance_m: nearest.map(|(m, _)| m.round().clamp(0.0, f64::from(u32::MAX)) as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hm: &str) -> DateTime<Utc> {
        format!("2026-12-01T{hm}:00Z").parse().unwrap()
    }

    fn visit(number: &str, from: &str, to: &str, position: Option<(f64, f64)>) -> Visit {
        Visit {
            number: number.into(),
            start: at(from),
            end: at(to),
            town: Some("Leeds".into()),
            position,
        }
    }

    fn candidate(name: &str, skills: &[&str], visits: Vec<Visit>, parts: &[&str]) -> Candidate {
        Candidate {
            username: name.to_lowercase(),
            display_name: name.into(),
            skills: skills.iter().map(|s| s.to_string()).collect(),
            visits,
            parts: parts.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn skills_meet_products_by_their_words() {
        let cases = [
            ("boilers", "HeatMax 300 combi boiler", true),
            ("heat-pumps", "AirSource 8 kW heat pump", true),
            ("air-conditioning", "CoolBreeze split air conditioner", true),
            ("washing-machines", "AquaPure 7 kg washing machine", true),
            ("fridges", "FrostLine fridge-freezer FF70", true),
            ("dishwashers", "AquaPure dishwasher DW45", true),
            ("boilers", "AirSource 8 kW heat pump", false),
            ("heat-pumps", "HeatMax 300 combi boiler", false),
            ("solar", "HeatMax 300 combi boiler", false),
            ("", "HeatMax 300 combi boiler", false),
            ("Boilers", "HEATMAX COMBI BOILER", true),
        ];
        for (skill, model, fits) in cases {
            assert_eq!(skill_fits_model(skill, model), fits, "{skill} / {model}");
        }
        assert!(skill_fits_kind("installations", JobKind::Installation));
        assert!(!skill_fits_kind("boilers", JobKind::Repair));
    }

    #[test]
    fn a_slot_is_the_first_quarter_hour_where_the_visit_fits() {
        let hour = Duration::hours(1);
        let day = (at("08:00"), at("18:00"));
        let cases: Vec<(Vec<Visit>, Duration, Option<&str>)> = vec![
            (vec![], hour, Some("08:00")),
            (
                vec![visit("A", "08:00", "09:10", None)],
                hour,
                Some("09:15"),
            ),
            (
                vec![
                    visit("A", "08:00", "09:00", None),
                    visit("B", "09:30", "11:00", None),
                ],
                hour,
                Some("11:00"),
            ),
            (
                vec![
                    visit("A", "08:00", "09:00", None),
                    visit("B", "09:30", "11:00", None),
                ],
                Duration::minutes(30),
                Some("09:00"),
            ),
            // Out of order, overlapping each other.
            (
                vec![
                    visit("B", "10:00", "12:00", None),
                    visit("A", "08:00", "11:00", None),
                ],
                hour,
                Some("12:00"),
            ),
            (vec![visit("A", "08:00", "17:30", None)], hour, None),
            (
                vec![visit("A", "07:00", "17:00", None)],
                hour,
                Some("17:00"),
            ),
            (vec![], Duration::hours(11), None),
        ];
        for (visits, length, want) in cases {
            assert_eq!(
                slot(&visits, day.0, day.1, length),
                want.map(at),
                "{visits:?} for {length}"
            );
        }
        assert_eq!(
            slot(&[], at("08:07"), day.1, hour),
            Some(at("08:15")),
            "a day starting off the quarter"
        );
    }

    #[test]
    fn free_time_counts_each_minute_once() {
        let (from, to) = (at("08:00"), at("18:00"));
        let cases: Vec<(Vec<Visit>, i64)> = vec![
            (vec![], 600),
            (vec![visit("A", "09:00", "10:00", None)], 540),
            (
                vec![
                    visit("A", "09:00", "11:00", None),
                    visit("B", "10:00", "12:00", None),
                ],
                420,
            ),
            (vec![visit("A", "07:00", "09:00", None)], 540),
            (vec![visit("A", "17:00", "19:00", None)], 540),
            (vec![visit("A", "06:00", "07:00", None)], 600),
        ];
        for (visits, want) in cases {
            assert_eq!(free_minutes(&visits, from, to), want, "{visits:?}");
        }
    }

    #[test]
    fn distances_are_great_circle() {
        let leeds = (53.8008, -1.5491);
        let york = (53.9600, -1.0873);
        let km = distance_m(leeds, york) / 1000.0;
        assert!(
            (34.5..35.5).contains(&km),
            "Leeds to York is about 35 km: {km}"
        );
        assert_eq!(distance_m(leeds, leeds), 0.0);
    }

    #[test]
    fn the_ranking_weighs_skills_time_parts_and_distance_and_says_why() {
        let site = (53.80, -1.55);
        let job = JobFacts {
            kind: JobKind::Repair,
            model: Some("HeatMax 300 combi boiler".into()),
            position: Some(site),
            length: Duration::hours(1),
        };
        let near = Some((53.81, -1.56));
        let far = Some((51.50, -0.12));
        let ranked = rank(
            &job,
            at("08:00"),
            at("18:00"),
            vec![
                candidate("Tom", &["appliances"], vec![], &[]),
                candidate(
                    "Tina",
                    &["boilers", "heat-pumps"],
                    vec![visit("J-1", "09:00", "10:00", near)],
                    &["Diverter valve", "Ignition electrode"],
                ),
                candidate(
                    "Sara",
                    &["boilers"],
                    vec![visit("J-2", "08:00", "17:30", far)],
                    &[],
                ),
            ],
        );
        let order: Vec<_> = ranked.iter().map(|s| s.display_name.as_str()).collect();
        assert_eq!(order, ["Tina", "Tom", "Sara"]);
        fn words(s: &Suggestion) -> Vec<(bool, &str)> {
            s.reasons
                .iter()
                .map(|r| (r.good, r.text.as_str()))
                .collect()
        }
        assert_eq!(
            words(&ranked[0]),
            [
                (true, "knows boilers"),
                (true, "9 h free (1 visit booked)"),
                (
                    true,
                    "2 parts for the HeatMax 300 combi boiler in the van: Diverter valve, Ignition electrode"
                ),
                (true, "1 km from their visit J-1 in Leeds"),
            ]
        );
        assert_eq!(ranked[0].slot, Some(at("08:00")));
        assert_eq!(
            words(&ranked[1]),
            [
                (false, "no skill listed for the HeatMax 300 combi boiler"),
                (true, "10 h free (nothing booked)"),
                (
                    false,
                    "no parts for the HeatMax 300 combi boiler in the van"
                ),
            ],
            "no visit to measure from: distance not judged"
        );
        assert_eq!(ranked[1].distance_m, None);
        assert_eq!(
            words(&ranked[2])[1],
            (false, "no free 1 h in the day (1 visit booked)")
        );
        assert!(!ranked[2].reasons[3].good, "{:?}", ranked[2].reasons[3]);
        assert!(ranked[2].distance_m.unwrap() > 250_000);
        assert_eq!(ranked[2].slot, None);
    }

    #[test]
    fn a_job_without_a_product_is_judged_on_time_and_kind() {
        let job = JobFacts {
            kind: JobKind::Installation,
            model: None,
            position: None,
            length: Duration::minutes(90),
        };
        let ranked = rank(
            &job,
            at("08:00"),
            at("18:00"),
            vec![
                candidate("Ann", &[], vec![], &[]),
                candidate("Bob", &["installations"], vec![], &[]),
            ],
        );
        assert_eq!(ranked[0].display_name, "Bob");
        assert_eq!(ranked[0].reasons[0].text, "does installations");
        assert_eq!(ranked[1].reasons.len(), 1, "{:?}", ranked[1].reasons);
        assert_eq!(ranked[0].score - ranked[1].score, SKILL_KIND);
    }
}
