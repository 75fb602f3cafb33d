//! Did-you-mean: the nearest valid ids to an unknown one.

/// Candidates ordered by similarity to `unknown`, most similar first (ties by input order).
#[must_use]
pub fn nearest<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let unknown = unknown.to_ascii_lowercase();
    let mut scored: Vec<(f64, usize, &str)> = candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let score = strsim::normalized_damerau_levenshtein(&unknown, &c.to_ascii_lowercase());
            (score, i, c)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, c)| c).collect()
}

/// The single best match, when it is close enough to be what the user meant.
#[must_use]
pub fn did_you_mean<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let unknown_lower = unknown.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::normalized_damerau_levenshtein(&unknown_lower, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `"a", "b", "c"`.
#[must_use]
pub fn quoted(ids: &[&str]) -> String {
    ids.iter()
        .map(|id| format!("\"{id}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_near_miss() {
        let ids = ["gray-cheriton-1989", "burrows-2006", "kleppmann-2016"];
        assert_eq!(
            did_you_mean("gray-cheriton-1998", ids),
            Some("gray-cheriton-1989")
        );
        assert_eq!(did_you_mean("zzzz", ids), None);
        assert_eq!(nearest("burows-2006", ids)[0], "burrows-2006");
    }
}
