//! Lines that are page furniture whatever the page: ad markers, calls to action,
//! image file names, share prompts. Shared by the HTML and the scraped-text readers.

use std::sync::LazyLock;

use regex::Regex;

/// Ad markers in the languages Vigie reads, compared case-insensitively with the whole line.
const AD_MARKERS: &[&str] = &[
    "publicité",
    "publicite",
    "advertisement",
    "advertising",
    "ad",
    "ads",
    "sponsored",
    "sponsored content",
    "anzeige",
    "werbung",
    "publicidad",
    "pubblicità",
    "publicidade",
    "реклама",
    "reklama",
    "advertentie",
    "annonce",
    "contenu sponsorisé",
    "partenaires",
    "story continues below advertisement",
    "article continues below advertisement",
    "continue reading below",
    "scroll to continue with content",
    "advertisement - scroll to continue",
];

static IMAGE_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\S{1,200}\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?|heic)$")
        .expect("valid regex")
});

/// Calls to action and prompts that are never article text when they stand alone.
static CALL_TO_ACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:",
        r"share(?: this| on| via)?\b.{0,40}|tweet|pin it|email|print|copy link|",
        r"(?:sign up|subscribe|register|log ?in)\b.{0,80}|",
        r"(?:read|see|view|show) (?:more|also|all|next|previous|full)\b.{0,60}|",
        r"(?:related|more) (?:articles?|stories|news|coverage|content|videos?|on this)\b.{0,60}|",
        r"(?:most (?:read|popular|viewed|shared))\b.{0,30}|",
        r"follow us\b.{0,60}|click here\b.{0,80}|",
        r"(?:lire|voir) (?:aussi|plus|la suite)\b.{0,60}|à lire aussi\b.{0,80}|",
        r"(?:je )?(?:m'abonne|découvre|profite)\b.{0,60}|abonnez-vous\b.{0,80}|",
        r"(?:nos|les) vidéos\b.{0,20}|newsletter\b.{0,60}|",
        r"(?:mehr zum thema|lesen sie auch|auch interessant|jetzt abonnieren|zum thema)\b.{0,60}|",
        r"(?:lee también|leer más|suscríbete)\b.{0,60}|(?:leggi anche)\b.{0,60}|",
        r"(?:читайте также|подписывайтесь)\b.{0,60}",
        r")$"
    ))
    .expect("valid regex")
});

/// True for a line that is an ad marker ("Publicité", "Advertisement", "Anzeige"…).
pub fn is_ad_marker(line: &str) -> bool {
    let t = line
        .trim()
        .trim_matches(|c: char| c.is_ascii_punctuation() || c == '–' || c == '—')
        .trim();
    if t.is_empty() || t.chars().count() > 60 {
        return false;
    }
    let lower = t.to_lowercase();
    AD_MARKERS.contains(&lower.as_str())
}

/// True for a line that is just an image file name ("MicrosoftTeams-image.png").
pub fn is_image_file_name(line: &str) -> bool {
    IMAGE_FILE.is_match(line.trim())
}

/// True for a short standalone call to action ("Read more", "Je découvre les offres").
pub fn is_call_to_action(line: &str) -> bool {
    let t = line.trim();
    t.chars().count() <= 120 && CALL_TO_ACTION.is_match(t)
}

/// True for a line that belongs to the page, not to any article.
pub fn is_furniture(line: &str) -> bool {
    is_ad_marker(line) || is_image_file_name(line) || is_call_to_action(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_lines() {
        assert!(is_furniture("Publicité"));
        assert!(is_furniture("ADVERTISEMENT"));
        assert!(is_furniture("Реклама"));
        assert!(is_furniture("MicrosoftTeams-image.png"));
        assert!(is_furniture("xx0urmq-O.jpg"));
        assert!(is_furniture("Je découvre les offres"));
        assert!(is_furniture("Nos Vidéos"));
        assert!(!is_furniture("Un relais pour bombarder l'Ukraine"));
        assert!(!is_furniture(
            "The ad campaign cost $3 million, the company said."
        ));
    }
}
