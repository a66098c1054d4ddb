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
    // Stems without the `\w*` that would end their words: matches only start at a word
    // boundary, so they count the same, and each Unicode `\w` made the regex slower to
    // build than a hundred pages are to read.
    Regex::new(r"(?i)\b(?:offres?|premium|abonn|souscri|subscri|newsletters?|n'attendez plus|découvrez|profitez|exclusi|abonnement|abo\b|jetzt\s+\w+\s+lesen|angebot|suscr|oferta|offert|sign up|free trial|essai gratuit|log(?:ged)?[ -]?in|sign[ -]?in|einloggen|eingeloggt|connectez|inicia sesión|подпис)").expect("valid regex")
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
            "log in",
            "log-in",
            "login",
            "logged in",
            "logged-in",
            "loggedin",
            "sign in",
            "sign-in",
            "signin",
            "einlogg",
            "eingelogg",
            "connectez",
            "inicia sesi",
            "free trial",
            "essai gratuit",
            "подпис",
            "Подпис",
            "ПОДПИС",
        ])
        .expect("valid patterns")
});

/// Builds this module's regular expressions and automaton now (see [`crate::warm_up`]).
pub(crate) fn warm_up() {
    LazyLock::force(&IMAGE_FILE);
    LazyLock::force(&PROMO);
    LazyLock::force(&PROMO_STEMS);
}

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

/// Channels a page invites its readers to: apps, messengers, social networks, newsletters.
const CHANNEL_WORDS: &[&str] = &[
    "app",
    "apps",
    "telegram",
    "whatsapp",
    "youtube",
    "instagram",
    "facebook",
    "twitter",
    "tiktok",
    "newsletter",
    "podcast",
];

/// Words by which a page speaks of itself ("our app", "unser Kanal", "nuestro canal")
/// or sends the reader to a channel ("download", "únete", "rejoignez"), in the
/// languages Vigie reads. "us" is left out (the United States), and so are "you" and
/// "follow": articles tell of people who follow someone on a network.
const ADDRESS_WORDS: &[&str] = &[
    "our",
    "download",
    "join",
    "nuestro",
    "nuestra",
    "nuestros",
    "tenemos",
    "únete",
    "unete",
    "síguenos",
    "descarga",
    "descargue",
    "mira",
    "unser",
    "unsere",
    "unserem",
    "unseren",
    "unserer",
    "notre",
    "nos",
    "rejoignez",
    "suivez",
    "téléchargez",
    "nasz",
    "nasza",
    "naszego",
    "dołącz",
    "obserwuj",
    "pobierz",
    "nostro",
    "seguici",
    "scarica",
    "наш",
    "наше",
    "наши",
    "подписывайтесь",
];

/// True for a short line that invites the reader to the page's app, channel or feed
/// ("Download our app", "¡Mira nuestro canal de YouTube!"): a channel named, and the
/// page speaking of itself or sending the reader there.
pub fn is_channel_prompt(t: &str) -> bool {
    let t = t.trim();
    if t.len() > 2 * PROMPT_MAX || t.chars().count() > PROMPT_MAX {
        return false;
    }
    let lower = t.to_lowercase();
    let words = || {
        lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
    };
    words().any(|w| CHANNEL_WORDS.contains(&w)) && words().any(|w| ADDRESS_WORDS.contains(&w))
}

/// Characters above which a line is a paragraph that mentions a channel, not a prompt.
const PROMPT_MAX: usize = 120;

/// True for a short block that typically closes an article page (see [`TAIL_PREFIXES`]).
pub fn is_tail_furniture(t: &str) -> bool {
    let t = t.trim();
    if t.chars().count() > 300 {
        return false;
    }
    let lower = t.to_lowercase();
    TAIL_PREFIXES.iter().any(|p| lower.starts_with(p))
        || is_call_to_action(t)
        || is_promo(t)
        || is_channel_prompt(t)
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

/// Labels that open a picture's credit line ("Foto: Jane Doe", "Titelbild: …"), lower case.
const PICTURE_CREDIT_LABELS: &[&str] = &[
    "foto",
    "fotos",
    "bild",
    "bilder",
    "titelbild",
    "beitragsbild",
    "titelfoto",
    "photo",
    "photos",
    "image",
    "images",
    "picture",
    "credit",
    "credits",
    "photo credit",
    "image credit",
    "crédit photo",
    "crédito",
    "créditos",
    "zdjęcie",
    "fot",
    "фото",
];

/// True for a short line that credits a picture ("Foto: dpa", "Titelbild: J. Doe/Agency").
pub fn is_picture_credit(line: &str) -> bool {
    let t = line.trim();
    if t.len() > 240 || t.chars().count() > 120 {
        return false;
    }
    let Some((label, rest)) = t.split_once(':') else {
        return false;
    };
    let label = label.trim().to_lowercase();
    PICTURE_CREDIT_LABELS.contains(&label.as_str()) && !rest.trim().is_empty()
}

/// True for a server's error message printed into the page ("Warning: … in
/// /var/www/x.php on line 12"): PHP writes these in English whatever the site's language.
pub fn is_server_error(line: &str) -> bool {
    let t = line.trim();
    const LEVELS: &[&str] = &[
        "Warning:",
        "Notice:",
        "Deprecated:",
        "Fatal error:",
        "Parse error:",
        "Strict Standards:",
    ];
    t.len() <= 1000
        && LEVELS.iter().any(|l| t.starts_with(l))
        && t.split(" on line ")
            .nth(1)
            .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
}

/// True for a line that belongs to the page, not to any article.
pub fn is_furniture(line: &str) -> bool {
    is_ad_marker(line)
        || is_image_file_name(line)
        || is_call_to_action(line)
        || is_picture_credit(line)
        || is_server_error(line)
}

/// True for a short line that dates the page rather than says something: "Updated on
/// 17.01.2021", "Stand: 5. Februar 2020", "Created 03-10-2004 - Last modified …".
pub fn is_page_dateline(line: &str) -> bool {
    let t = line.trim();
    if t.chars().count() > 100 {
        return false;
    }
    let has_year = t
        .split(|c: char| !c.is_ascii_digit())
        .any(|n| n.len() == 4 && (n.starts_with("19") || n.starts_with("20")));
    let words = t
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 3)
        .count();
    has_year && words <= 6
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
            "Log in",
            "LOGGED IN",
            "loggedin",
            "Login",
            "Sign in",
            "SIGN-IN",
            "einloggen",
            "Eingeloggt",
            "Connectez-vous",
            "Inicia sesión",
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
    fn a_channel_named_and_the_reader_sent_there_is_a_prompt() {
        assert!(is_channel_prompt(
            "For the latest stories download the Daily Planet apps for iOS and Android."
        ));
        assert!(is_channel_prompt(
            "¡Mira lo que tiene nuestro canal de YouTube!"
        ));
        assert!(is_channel_prompt(
            "Kennt ihr schon unseren Telegram-Kanal? Hier geht es lang."
        ));
        // Articles speak of networks and of people who follow someone on them.
        assert!(!is_channel_prompt(
            "She posted the video on YouTube on Monday."
        ));
        assert!(!is_channel_prompt("You can follow him on Twitter."));
        assert!(!is_channel_prompt(
            "The app was banned in the US last year."
        ));
    }

    #[test]
    fn picture_credits_server_errors_and_page_datelines() {
        assert!(is_picture_credit("Foto: dpa"));
        assert!(is_picture_credit("Titelbild: Jane Doe/Agence X"));
        assert!(is_picture_credit("Crédito: Juan Pérez"));
        assert!(!is_picture_credit("Foto:"));
        assert!(!is_picture_credit(
            "Bildung: the minister wants more teachers in rural schools."
        ));
        assert!(is_server_error(
            "Warning: Creating default object from empty value in /www/htdocs/x/wp-includes/a.php on line 12"
        ));
        assert!(!is_server_error("Warning: the river is rising again."));
        assert!(is_page_dateline("Aktualisiert am 17.01.2021."));
        assert!(is_page_dateline(
            "page.html - Created 03-10-2004 2:20pm - Last Modified: 03-10-2004 2:20pm"
        ));
        // A table's row holds numbers, not a year.
        assert!(!is_page_dateline("30 Driver number 30 4970"));
        assert!(!is_page_dateline(
            "In 2019 the council voted to close the old bridge to all traffic for good."
        ));
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
