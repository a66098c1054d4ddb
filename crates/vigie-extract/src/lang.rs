//! Language identification: the page's declaration, checked against the text.

use whatlang::Lang;

/// ISO 639-1 code of a `whatlang` language (None for languages without one).
pub fn iso639_1(lang: Lang) -> Option<&'static str> {
    use Lang::*;
    Some(match lang {
        Eng => "en",
        Fra => "fr",
        Deu => "de",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Nld => "nl",
        Pol => "pl",
        Rus => "ru",
        Ukr => "uk",
        Ara => "ar",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Tur => "tr",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Ces => "cs",
        Slk => "sk",
        Hun => "hu",
        Ron => "ro",
        Bul => "bg",
        Ell => "el",
        Heb => "he",
        Hin => "hi",
        Ind => "id",
        Vie => "vi",
        Tha => "th",
        Hrv => "hr",
        Srp => "sr",
        Slv => "sl",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Cat => "ca",
        Bel => "be",
        Pes => "fa",
        Urd => "ur",
        Ben => "bn",
        Tam => "ta",
        Tel => "te",
        Mar => "mr",
        Guj => "gu",
        Kan => "kn",
        Mal => "ml",
        Pan => "pa",
        Afr => "af",
        Epo => "eo",
        Lat => "la",
        Aze => "az",
        Kat => "ka",
        Hye => "hy",
        Mkd => "mk",
        Tgl => "tl",
        Yid => "yi",
        Zul => "zu",
        Sna => "sn",
        Aka => "ak",
        Uzb => "uz",
        Jav => "jv",
        Khm => "km",
        Sin => "si",
        Mya => "my",
        Amh => "am",
        Nep => "ne",
        Ori => "or",
        Tuk => "tk",
        Cym => "cy",
    })
}

/// Languages the trigram detector weighs. Scoring every language whatlang knows costs
/// more than the rest of the extraction; these are the languages of nearly all news.
const NEWS_LANGUAGES: &[Lang] = &[
    Lang::Eng,
    Lang::Fra,
    Lang::Deu,
    Lang::Spa,
    Lang::Ita,
    Lang::Por,
    Lang::Nld,
    Lang::Pol,
    Lang::Rus,
    Lang::Ukr,
    Lang::Ces,
    Lang::Slk,
    Lang::Hun,
    Lang::Ron,
    Lang::Swe,
    Lang::Dan,
    Lang::Nob,
    Lang::Fin,
    Lang::Tur,
    Lang::Ind,
    Lang::Hrv,
    Lang::Srp,
    Lang::Slv,
    Lang::Bul,
    Lang::Ell,
    Lang::Lit,
    Lang::Lav,
    Lang::Est,
    Lang::Cat,
    Lang::Bel,
    Lang::Ara,
    Lang::Heb,
    Lang::Pes,
    Lang::Hin,
    Lang::Cmn,
    Lang::Jpn,
    Lang::Kor,
    Lang::Vie,
    Lang::Tha,
    Lang::Afr,
];

/// Builds the language detector now (see [`crate::warm_up`]).
pub(crate) fn warm_up() {
    detector();
}

fn detector() -> &'static whatlang::Detector {
    static DETECTOR: std::sync::OnceLock<whatlang::Detector> = std::sync::OnceLock::new();
    DETECTOR.get_or_init(|| whatlang::Detector::with_allowlist(NEWS_LANGUAGES.to_vec()))
}

/// Chooses the article's language from the declared code (e.g. `<html lang="fr-FR">`) and the text.
///
/// The declaration wins unless the text says, reliably, something else: CMS templates
/// often declare the site's default language for pages written in another.
pub fn identify(declared: Option<&str>, text: &str) -> Option<String> {
    let declared = declared
        .map(|d| {
            d.trim()
                .split(['-', '_'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
        })
        .filter(|d| d.len() == 2 && d.chars().all(|c| c.is_ascii_lowercase()));
    let sample: String = text.chars().take(300).collect();
    let long_enough = sample.chars().count() >= 200;
    // Below 200 characters the text cannot overrule a declaration: no need to ask.
    if declared.is_some() && !long_enough {
        return declared;
    }
    let detected = detector().detect(&sample);
    match (declared, detected) {
        (Some(d), Some(info)) => match iso639_1(info.lang()) {
            Some(code) if code != d && info.is_reliable() && long_enough => Some(code.to_string()),
            _ => Some(d),
        },
        (Some(d), None) => Some(d),
        (None, Some(info)) if info.is_reliable() || info.confidence() > 0.5 => {
            iso639_1(info.lang()).map(str::to_string)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_checked_against_text() {
        let fr = "Le président russe s'est rendu lundi à Minsk pour s'entretenir avec son homologue biélorusse, dans un contexte de tensions croissantes avec l'Ukraine et ses alliés occidentaux, qui craignent une nouvelle offensive.";
        assert_eq!(identify(Some("en-US"), fr).as_deref(), Some("fr"));
        assert_eq!(identify(Some("fr-FR"), fr).as_deref(), Some("fr"));
        assert_eq!(identify(None, fr).as_deref(), Some("fr"));
    }
}
