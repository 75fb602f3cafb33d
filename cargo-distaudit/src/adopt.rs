//! Adoption on old code: `[[exempt]]` entries in `distaudit.toml` and the baseline file.
//! Both only ever shrink: an entry whose finding is gone is reported as stale.

use crate::engine::{Code, Registry, parse_date};
use crate::model::shown;
use crate::model::{Issue, Region, Source};
use crate::report::fingerprint;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// One valid exemption.
#[derive(Clone, Debug)]
pub struct Exemption {
    pub krate: String,
    pub item: String,
    pub reason: String,
    /// `(year, month, day)`.
    pub expires: Option<(u32, u32, u32)>,
    pub file: String,
    /// The line of its `item = ".."`.
    pub region: Option<Region>,
}

/// Today's date (UTC), from the system clock: only the expiry of exemptions depends on it.
/// `DISTAUDIT_TODAY=YYYY-MM-DD` pins it (reproducible CI runs and tests).
#[must_use]
pub fn today() -> (u32, u32, u32) {
    if let Some(pinned) = std::env::var("DISTAUDIT_TODAY")
        .ok()
        .as_deref()
        .and_then(parse_date)
    {
        return pinned;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// Days since 1970-01-01 to a calendar date (proleptic Gregorian).
fn civil(days: i64) -> (u32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        u32::try_from(y).unwrap_or(0),
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// The exemptions of a crate, as its registry loaded and validated them.
#[must_use]
pub fn exemptions(root: &Path, krate: &str, registry: &Registry) -> Vec<Exemption> {
    let mut texts: std::collections::BTreeMap<&str, Option<String>> =
        std::collections::BTreeMap::new();
    registry
        .exemptions
        .iter()
        .map(|e| Exemption {
            krate: krate.to_string(),
            // A path from the crate root, as written (`crate::` allowed). A leading crate
            // name is tried too, in `matches`: a module may share the crate's name.
            item: e.item.trim_start_matches("crate::").to_string(),
            reason: e.reason.clone(),
            // The loader refuses a malformed date, so only a valid one reaches here.
            expires: e.expires.as_deref().and_then(parse_date),
            file: shown(root, Path::new(&e.origin.file)),
            region: Region::line(
                texts
                    .entry(e.origin.file.as_str())
                    .or_insert_with(|| std::fs::read_to_string(&e.origin.file).ok())
                    .as_deref(),
                e.origin.line,
            ),
        })
        .collect()
}

/// The lines `[[exempt]]` tables occupy in a `distaudit.toml` (1-based, inclusive).
#[must_use]
pub fn exempt_tables(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut open: Option<usize> = None;
    let lines: Vec<&str> = text.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        if t.starts_with('[') {
            if let Some(start) = open.take() {
                out.push((start, i));
            }
            if t.starts_with("[[exempt]]") {
                open = Some(i + 1);
            }
        }
    }
    if let Some(start) = open {
        out.push((start, lines.len()));
    }
    out
}

/// `text` with the lines `from..=to` blanked (line numbers kept).
#[must_use]
pub fn blank_lines(text: &str, from: usize, to: usize) -> String {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            if (from..=to).contains(&(i + 1)) {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn matches(e: &Exemption, i: &Issue) -> bool {
    let Some(item) = &i.item else { return false };
    let covers = |path: &str| item == path || item.starts_with(&format!("{path}::"));
    let without_crate = e.item.strip_prefix(&format!("{}::", e.krate));
    e.krate == i.krate
        && (covers(&e.item) || without_crate.is_some_and(covers))
        && matches!(i.source, Source::Scan | Source::AntiPattern)
}

/// Drop the issues valid exemptions cover; report stale and expired ones. Returns the
/// number of issues exempted.
pub fn apply_exemptions(
    issues: &mut Vec<Issue>,
    exemptions: &[Exemption],
    today: (u32, u32, u32),
) -> usize {
    let mut extra = Vec::new();
    let before = issues.len();
    for e in exemptions {
        let hits = issues.iter().filter(|i| matches(e, i)).count();
        let region = e.region;
        if hits == 0 {
            extra.push(Issue::new(
                Code::StaleExemption,
                &e.krate,
                Some(&e.file),
                region,
                format!(
                    "the exemption of `{}` excuses nothing: its finding no longer occurs",
                    e.item
                ),
                "a stale exemption would silently excuse whatever appears there next".into(),
                "remove the [[exempt]] entry".into(),
                Source::Adoption,
            ));
        } else if e.expires.is_some_and(|d| d <= today) {
            let (y, m, d) = e.expires.unwrap_or_default();
            extra.push(Issue::new(
                Code::ExpiredExemption,
                &e.krate,
                Some(&e.file),
                region,
                format!("the exemption of `{}` expired on {y:04}-{m:02}-{d:02}: its findings are reported again", e.item),
                format!("the exemption was granted until then: \"{}\"", e.reason),
                "resolve the findings, or renew the exemption with a new reason and date".into(),
                Source::Adoption,
            ));
        }
    }
    issues.retain(|i| {
        !exemptions
            .iter()
            .any(|e| matches(e, i) && e.expires.is_none_or(|d| d > today))
    });
    let exempted = before - issues.len();
    issues.extend(extra);
    exempted
}

/// One finding in the baseline, keyed as SARIF keys it: by the fingerprint of its code,
/// crate, item (or file) and message, which no line number enters. The other fields are
/// for the people who read the file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BaselineEntry {
    /// Absent in a version 1 file: computed from the other fields when it is read.
    #[serde(default)]
    pub fingerprint: String,
    #[serde(rename = "crate")]
    pub krate: String,
    pub item: Option<String>,
    pub file: Option<String>,
    pub code: String,
    pub what: String,
}

/// The version of the baseline file this build writes; it reads version 1 too.
pub const BASELINE_VERSION: u32 = 2;

/// The baseline file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

impl BaselineEntry {
    #[must_use]
    pub fn of(i: &Issue) -> BaselineEntry {
        BaselineEntry {
            fingerprint: fingerprint::of(i),
            krate: i.krate.clone(),
            item: i.item.clone(),
            file: i.file.clone(),
            code: i.code.to_string(),
            what: i.what.clone(),
        }
    }

    /// Its fingerprint: as written, or for a version 1 entry, from its fields.
    #[must_use]
    pub fn key(&self) -> String {
        if self.fingerprint.is_empty() {
            fingerprint::of_parts(
                &self.code,
                &self.krate,
                self.item.as_deref(),
                self.file.as_deref(),
                &self.what,
            )
        } else {
            self.fingerprint.clone()
        }
    }
}

/// The baseline of the current findings (adoption issues excluded).
#[must_use]
pub fn baseline_of(issues: &[Issue]) -> Baseline {
    let mut findings: Vec<BaselineEntry> = issues
        .iter()
        .filter(|i| i.source != Source::Adoption)
        .map(BaselineEntry::of)
        .collect();
    findings.sort();
    Baseline {
        version: BASELINE_VERSION,
        findings,
    }
}

/// Drop the issues the baseline holds; report the entries that have gone. Returns the
/// number of issues baselined.
pub fn apply_baseline(issues: &mut Vec<Issue>, baseline: &Baseline, shown_file: &str) -> usize {
    let keys: Vec<String> = baseline.findings.iter().map(BaselineEntry::key).collect();
    let mut left: Vec<Option<&BaselineEntry>> = baseline.findings.iter().map(Some).collect();
    let before = issues.len();
    issues.retain(|i| {
        let key = fingerprint::of(i);
        match left
            .iter_mut()
            .zip(&keys)
            .find(|(e, k)| e.is_some() && **k == key)
            .map(|(e, _)| e)
        {
            Some(slot) => {
                *slot = None;
                false
            }
            None => true,
        }
    });
    let baselined = before - issues.len();
    for gone in left.into_iter().flatten() {
        let mut issue = Issue::new(
            Code::StaleExemption,
            &gone.krate,
            Some(shown_file),
            None,
            format!("baseline entry {} `{}` on {} no longer occurs", gone.code, gone.what, gone.item.as_deref().or(gone.file.as_deref()).unwrap_or("the crate")),
            "the baseline only ever shrinks: a finding that has gone must leave it, or it would excuse its return".into(),
            "run `cargo distaudit baseline` to rewrite the file without it".into(),
            Source::Adoption,
        );
        issue.item.clone_from(&gone.item);
        issues.push(issue);
    }
    baselined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(20_000), (2024, 10, 4));
        assert_eq!(parse_date("2026-11-25"), Some((2026, 11, 25)));
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("26-1-1"), None);
    }

    #[test]
    fn exempt_tables_and_blanking_keep_lines() {
        let t = "[[citation]]\nid = \"x\"\n[[exempt]]\nitem = \"a\"\n\n[[exempt]]\nitem = \"b\"\n";
        assert_eq!(exempt_tables(t), [(3, 5), (6, 7)]);
        assert_eq!(
            blank_lines(t, 3, 5),
            "[[citation]]\nid = \"x\"\n\n\n\n[[exempt]]\nitem = \"b\""
        );
    }

    /// A version 1 baseline (no fingerprints) still excuses its findings, keyed as a
    /// version 2 one is; a finding whose line moved is the same finding.
    #[test]
    fn a_version_1_baseline_is_read_by_fingerprint() {
        let mut issue = Issue::new(
            Code::UnannotatedCoordination,
            "k",
            Some("src/a.rs"),
            Region::line(Some("x\n"), 1),
            "`a::renew` looks like coordination".into(),
            "why".into(),
            "fix".into(),
            Source::Scan,
        );
        issue.item = Some("a::renew".into());
        let v1: Baseline = serde_json::from_str(
            r#"{"version": 1, "findings": [{"crate": "k", "item": "a::renew", "file": "src/a.rs", "code": "DA0060", "what": "`a::renew` looks like coordination"}]}"#,
        )
        .expect("a version 1 file");
        let v2 = baseline_of(std::slice::from_ref(&issue));
        assert_eq!(v2.version, 2);
        assert_eq!(v1.findings[0].key(), v2.findings[0].fingerprint);
        issue.region = Region::line(Some("\n\nx\n"), 3);
        let mut issues = vec![issue];
        assert_eq!(apply_baseline(&mut issues, &v1, "baseline.json"), 1);
        assert!(issues.is_empty());
    }
}
