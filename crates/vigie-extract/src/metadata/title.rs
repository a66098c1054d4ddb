//! The headline without the site's name glued to it.

/// Separators that CMSs put between a headline and the site name.
const SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " · ", " • ", " / ", " » ", " « ",
];

/// Chooses the headline by agreement between the sources: the `<h1>` when `<title>` or
/// `og:title` contain it, else `og:title`/JSON-LD `headline`, else `<title>` with the
/// site name removed.
pub fn choose(
    h1: &[String],
    og: Option<&str>,
    jsonld: Option<&str>,
    title_tag: Option<&str>,
    site: Option<&str>,
) -> Option<String> {
    let declared: Vec<&str> = [og, jsonld, title_tag].into_iter().flatten().collect();
    for h in h1 {
        if h.chars().count() >= 10 && declared.iter().any(|d| d.contains(h.as_str())) {
            return Some(h.clone());
        }
    }
    if let Some(j) = jsonld {
        if declared.iter().filter(|d| **d != j).any(|d| d.contains(j)) {
            return Some(j.to_string());
        }
    }
    let best = og
        .or(jsonld)
        .or(title_tag)
        .or(h1.first().map(String::as_str))?;
    Some(strip_site(best, site))
}

/// Removes a site name prefix or suffix from a title.
pub fn strip_site(title: &str, site: Option<&str>) -> String {
    let t = title.trim();
    if let Some(site) = site.map(str::trim).filter(|s| !s.is_empty()) {
        for sep in SEPARATORS {
            if let Some(rest) = t.strip_suffix(&format!("{sep}{site}")) {
                return rest.trim().to_string();
            }
            if let Some(rest) = t.strip_prefix(&format!("{site}{sep}")) {
                return rest.trim().to_string();
            }
        }
    }
    // Without a known site name: drop the last segment after a separator when it is short.
    for sep in [" | ", " – ", " — ", " - ", " :: "] {
        if let Some(pos) = t.rfind(sep) {
            let (head, tail) = (&t[..pos], &t[pos + sep.len()..]);
            if tail.chars().count() <= 30
                && head.chars().count() >= 2 * tail.chars().count()
                && head.chars().count() >= 15
            {
                return head.trim().to_string();
            }
        }
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_suffix_and_prefix() {
        assert_eq!(
            strip_site(
                "Ukraine : Poutine laisse craindre une attaque | Les Echos",
                Some("Les Echos")
            ),
            "Ukraine : Poutine laisse craindre une attaque"
        );
        assert_eq!(
            strip_site(
                "Les Echos - Ukraine : Poutine laisse craindre",
                Some("Les Echos")
            ),
            "Ukraine : Poutine laisse craindre"
        );
        assert_eq!(
            strip_site(
                "Ukraine : Poutine laisse craindre une attaque | Les Echos",
                None
            ),
            "Ukraine : Poutine laisse craindre une attaque"
        );
    }

    #[test]
    fn h1_confirmed_by_title() {
        let h1 = vec!["Big news today".to_string()];
        assert_eq!(
            choose(&h1, None, None, Some("Big news today - Site"), None).as_deref(),
            Some("Big news today")
        );
    }
}
