//! Lines that are page furniture whatever the page: ad markers, calls to action,
//! image file names, share prompts. Shared by the HTML and the scraped-text readers.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
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
    Regex::new(r"(?i)^\S+\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?|heic)$").expect("valid regex")
});

/// Openings of calls to action and prompts that are never article text when they stand
/// alone on a short line (lower case). Plain prefixes, not a regex: a Unicode regex with
/// bounded repetitions costs milliseconds to compile in every process.
const CALL_TO_ACTION_PREFIXES: &[&str] = &[
    "share this",
    "share on",
    "share via",
    "share",
    "tweet",
    "pin it",
    "email",
    "print",
    "copy link",
    "sign up",
    "subscribe",
    "register",
    "log in",
    "login",
    "read more",
    "read also",
    "read next",
    "read the full",
    "see more",
    "see also",
    "see all",
    "view more",
    "view all",
    "show more",
    "show all",
    "related articles",
    "related article",
    "related stories",
    "related news",
    "related coverage",
    "related content",
    "related videos",
    "more stories",
    "more news",
    "more articles",
    "more on this",
    "most read",
    "most popular",
    "most viewed",
    "most shared",
    "follow us",
    "click here",
    "lire aussi",
    "lire plus",
    "lire la suite",
    "voir aussi",
    "voir plus",
    "à lire aussi",
    "je m'abonne",
    "je découvre",
    "je profite",
    "m'abonner",
    "abonnez-vous",
    "nos vidéos",
    "les vidéos",
    "newsletter",
    "mehr zum thema",
    "lesen sie auch",
    "auch interessant",
    "jetzt abonnieren",
    "zum thema",
    "lee también",
    "leer más",
    "suscríbete",
    "leggi anche",
    "читайте также",
    "подписывайтесь",
    "читайте також",
    "підписуйтесь",
];

/// Words of subscription offers and sales pitches, in several languages.
pub(crate) static PROMO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:offres?|premium|abonn\w*|souscri\w*|subscri\w*|newsletters?|n'attendez plus|découvrez|profitez|exclusi\w*|abonnement|abo\b|jetzt\s+\w+\s+lesen|angebot\w*|suscr\w*|oferta\w*|offert\w*|sign up|free trial|essai gratuit|подпис\w*)").expect("valid regex")
});

/// The stems every word of [`PROMO`] begins with, in each case the regex folds. Most
/// paragraphs hold none, and the regex (whose Unicode word boundaries send non-ASCII
/// text to a slow engine) then need not run: that was 4 % of an extraction.
static PROMO_STEMS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([
            "offre",
            "offert",
            "oferta",
            "premium",
            "abo",
            "souscri",
            "subscri",
            "suscr",
            "newsletter",
            "n'attendez plus",
            "découvrez",
            "dÉcouvrez",
            "profitez",
            "exclusi",
            "jetzt",
            "angebot",
            "sign up",
            "free trial",
            "essai gratuit",
            "подпис",
            "Подпис",
            "ПОДПИС",
        ])
        .expect("valid patterns")
});

/// True for a paragraph that sells a subscription, an offer or a newsletter: two or more
/// sales words, dense enough that they are its subject.
pub fn is_promo(t: &str) -> bool {
    if !PROMO_STEMS.is_match(t) {
        return false;
    }
    let hits = PROMO.find_iter(t).count();
    let words = t.split_whitespace().count().max(1);
    hits >= 2 && (hits * 25 >= words || words < 120)
}

/// Openings of the lines that close an article page rather than an article: follow and
/// download prompts, copyright and disclaimers, "about the author", "you may also like".
const TAIL_PREFIXES: &[&str] = &[
    "follow ",
    "download ",
    "this article is the copyrighted",
    "copyright",
    "©",
    "all rights reserved",
    "about the author",
    "you may also like",
    "you might also like",
    "recommended for you",
    "also read",
    "über den autor",
    "über die autorin",
    "das könnte dich auch interessieren",
    "das könnte sie auch interessieren",
    "weitere informationen",
    "zum newsletter",
    "folgen sie uns",
    "alle rechte vorbehalten",
    "también te puede interesar",
    "te puede interesar",
    "síguenos",
    "todos los derechos",
    "à propos de l'auteur",
    "vous aimerez aussi",
    "suivez-nous",
    "tous droits réservés",
    "potrebbe interessarti",
    "seguici",
    "leia também",
    "siga-nos",
    "czytaj także",
    "читайте также",
    "подписывайтесь",
    "все права защищены",
];

/// Headings that open the page's own sections after an article: about the author, related
/// reading, recommendations (lower case, whole-line openings). Whatever follows such a
/// heading belongs to the page, not to the article.
const SECTION_END_HEADINGS: &[&str] = &[
    "about the author",
    "related posts",
    "related articles",
    "related stories",
    "you may also like",
    "you might also like",
    "recommended for you",
    "über den autor",
    "über die autorin",
    "das könnte sie auch",
    "das könnte dich auch",
    "ähnliche beiträge",
    "ähnliche artikel",
    "verwandte artikel",
    "weitere artikel",
    "weitere beiträge",
    "weitere themen",
    "auch interessant",
    "también te puede interesar",
    "te puede interesar",
    "artículos relacionados",
    "noticias relacionadas",
    "sobre el autor",
    "à propos de l'auteur",
    "vous aimerez aussi",
    "articles similaires",
    "sur le même sujet",
    "zobacz także",
    "zobacz też",
    "czytaj także",
    "czytaj też",
    "o autorze",
    "podobne artykuły",
    "articoli correlati",
    "potrebbe interessarti",
    "leia também",
    "sobre o autor",
    "artigos relacionados",
    "читайте также",
    "об авторе",
];

/// True for a short line that heads a section closing the page (see [`SECTION_END_HEADINGS`]).
pub fn is_section_end_heading(t: &str) -> bool {
    let t = t.trim();
    if t.chars().count() > 60 {
        return false;
    }
    let lower = t.to_lowercase();
    SECTION_END_HEADINGS.iter().any(|p| {
        lower
            .strip_prefix(p)
            .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
    })
}

/// True for a short block that typically closes an article page (see [`TAIL_PREFIXES`]).
pub fn is_tail_furniture(t: &str) -> bool {
    let t = t.trim();
    if t.chars().count() > 300 {
        return false;
    }
    let lower = t.to_lowercase();
    TAIL_PREFIXES.iter().any(|p| lower.starts_with(p)) || is_call_to_action(t) || is_promo(t)
}

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
    let t = line.trim();
    t.len() <= 200 && IMAGE_FILE.is_match(t)
}

/// True for a short standalone call to action ("Read more", "Je découvre les offres").
pub fn is_call_to_action(line: &str) -> bool {
    let t = line.trim();
    if t.len() > 240 || t.chars().count() > 120 {
        return false;
    }
    let lower = t.to_lowercase();
    CALL_TO_ACTION_PREFIXES.iter().any(|p| {
        lower.strip_prefix(p).is_some_and(|rest| {
            // A whole word: "share" but not "shareholders".
            let whole_word = rest.chars().next().is_none_or(|c| !c.is_alphanumeric());
            whole_word && rest.chars().count() <= 80
        })
    })
}

/// True for a line that belongs to the page, not to any article.
pub fn is_furniture(line: &str) -> bool {
    is_ad_marker(line) || is_image_file_name(line) || is_call_to_action(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_promo_prefilter_lets_every_sales_word_through() {
        // Each alternative of PROMO, in the cases pages write it: the prefilter must
        // never hide a match of the regex.
        for word in [
            "Offres",
            "OFFERT",
            "Oferta",
            "Premium",
            "ABONNEMENT",
            "Abo",
            "souscrire",
            "Subscribe",
            "SUSCRÍBETE",
            "Newsletter",
            "N'attendez plus",
            "Découvrez",
            "DÉCOUVREZ",
            "Profitez",
            "EXCLUSIF",
            "Jetzt gratis lesen",
            "Angebote",
            "Sign up",
            "FREE TRIAL",
            "Essai gratuit",
            "Подписывайтесь",
            "ПОДПИСКА",
        ] {
            assert!(PROMO.is_match(word), "{word}");
            assert!(PROMO_STEMS.is_match(word), "{word}");
        }
        assert!(is_promo(
            "Abonnez-vous : offre exclusive, découvrez Premium."
        ));
        assert!(!is_promo("Le président russe est arrivé lundi à Minsk."));
    }

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
