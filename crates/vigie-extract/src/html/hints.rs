//! Class and id hints: words that page authors, in any language, use to name the parts
//! of a page. They are evidence, weighed with text statistics, never a verdict alone.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

/// What a class/id attribute says about an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hint {
    /// Names the article's main text ("article-body", "entry-content", "story").
    pub content: bool,
    /// Names page furniture that never belongs to an article (ads, share bars, comments…).
    pub boilerplate: bool,
    /// Names something that is often, not always, furniture (header, meta, related links…).
    pub weak_boilerplate: bool,
    /// Names the article text unambiguously ("article-body", "entry-content", "storytext").
    pub strong_content: bool,
    /// Names readers' comments, which can outweigh the article and still never belong to it.
    pub comments: bool,
    /// Names printing: a print button or print-only block when small, printable content when not.
    pub print: bool,
    /// Names a picture's caption or credit, which pages set outside `figcaption` too.
    pub caption: bool,
}

const CONTENT: u8 = 1;
const BOILERPLATE: u8 = 2;
const WEAK: u8 = 4;
const STRONG: u8 = 8;
const COMMENTS: u8 = 16;
const PRINT: u8 = 32;
const CAPTION: u8 = 64;

/// What one whole token (a class name part, lower case, separators removed) says.
/// A `match` compiles to a length switch and a few comparisons: this runs for every
/// element of every page.
fn token_class(tok: &str) -> u8 {
    match tok {
        // The article's text, in several languages.
        "article" | "articlebody" | "story" | "storybody" | "content" | "entry" | "post"
        | "postbody" | "body" | "text" | "main" | "prose" | "richtext" | "blog" | "paywall"
        | "artikel" | "artikeltext" | "contenu" | "texte" | "cuerpo" | "contenido" | "noticia"
        | "testo" | "corpo" | "tresc" | "inhalt" | "bodytext" | "maincontent" => CONTENT,
        // Readers' comments.
        "comment"
        | "comments"
        | "kommentar"
        | "kommentare"
        | "commentaires"
        | "disqus"
        | "comentarios"
        | "commenti"
        | "комментарии" => BOILERPLATE | COMMENTS,
        // Page furniture.
        "share" | "sharing" | "sharebar" | "social" | "socials" | "related" | "relatedposts"
        | "recommended" | "recommendations" | "recirc" | "recirculation" | "newsletter"
        | "newsletters" | "subscribe" | "subscription" | "promo" | "promotion" | "advert"
        | "advertisement" | "advertising" | "ad" | "ads" | "adslot" | "adunit" | "adsbygoogle"
        | "dfp" | "gpt" | "sponsor" | "sponsored" | "cookie" | "cookies" | "consent" | "gdpr"
        | "popup" | "modal" | "sidebar" | "breadcrumb" | "breadcrumbs" | "pagination" | "pager"
        | "footer" | "navbar" | "navigation" | "nav" | "menu" | "outbrain" | "taboola"
        | "toolbar" | "skip" | "masthead" | "signup" | "login" | "rating" | "survey"
        | "disclaimer" | "copyright" | "sronly" | "visuallyhidden" | "mostread" | "mostpopular"
        | "popular" | "trending" | "readmore" | "morestories" | "teaser" | "teasers" | "banner"
        | "werbung" | "anzeige" | "publicite" | "publicidad" | "reklama" | "tags" | "tagcloud"
        | "taglist" | "keywords" | "authorbio" | "bio" | "follow" | "jumplink" | "tooltip"
        | "upsell" | "offer" | "offers" | "donate" | "donation" | "playlist" | "carousel"
        | "slider" | "partner" | "partners" | "affiliate" => BOILERPLATE,
        // Print buttons and print-only headers, but also the printable version of a
        // recipe's steps or a table ("print-step", "print-full"): weighed by size.
        "print" => PRINT,
        // Often furniture, sometimes the wrapper of real content.
        "header" | "meta" | "byline" | "author" | "caption" | "credit" | "date" | "time"
        | "info" | "more" | "links" | "aside" | "extra" | "secondary" | "box" | "card" | "list"
        | "tools" | "utility" | "video" | "gallery" | "image" | "photo" | "figure" | "embed"
        | "top" | "bottom" | "widget" | "widgets" => WEAK,
        _ => 0,
    }
}

/// Prefixes of compound names ("shareButtons", "relatedArticles") that name furniture.
const BOILERPLATE_PREFIXES: &[&str] = &[
    "share",
    "related",
    "comment",
    "kommentar",
    "commentaire",
    "comentario",
    "newsletter",
    "social",
    "promo",
    "advert",
    "sponsor",
    "outbrain",
    "taboola",
    "cookie",
    "subscri",
    "recommend",
    "breadcrumb",
    "sidebar",
    "mostread",
    "mostpopular",
    "readmore",
    "footer",
    "navbar",
    "trending",
    "signup",
];

/// Prefixes of compound names that name the article's text.
const CONTENT_PREFIXES: &[&str] = &[
    "articlebody",
    "storybody",
    "entrycontent",
    "postcontent",
    "articlecontent",
    "articletext",
    "storycontent",
    "storytext",
    "bodytext",
    "maincontent",
    "artikelbody",
    "richtext",
];

/// One anchored automaton over both prefix lists: a class part is tested in one pass.
static PREFIXES: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .start_kind(StartKind::Anchored)
        .build(CONTENT_PREFIXES.iter().chain(BOILERPLATE_PREFIXES))
        .expect("valid prefix automaton")
});

/// Builds this module's automaton now (see [`crate::warm_up`]).
pub(crate) fn warm_up() {
    LazyLock::force(&PREFIXES);
}

/// Bits named by the prefix `part` starts with, if any. A boilerplate prefix must be
/// followed by more ("shareButtons"; a bare "share" is the token table's business).
fn prefix_bits(part: &str) -> u8 {
    let Some(m) = PREFIXES.find(Input::new(part).anchored(Anchored::Yes)) else {
        return 0;
    };
    if m.pattern().as_usize() < CONTENT_PREFIXES.len() {
        CONTENT | STRONG
    } else if part.len() > m.end() {
        BOILERPLATE
    } else {
        0
    }
}

/// Words that name ad slots.
fn is_ad_word(part: &str) -> bool {
    matches!(
        part,
        "ad" | "ads"
            | "advert"
            | "adverts"
            | "advertising"
            | "advertisement"
            | "werbung"
            | "anzeige"
            | "publicite"
            | "publicidad"
            | "reklama"
    )
}

/// Words that, beside "print", make the element a print-only part or a print control:
/// display utilities ("d-print-none", "print-only", "hidden-print") and page parts
/// ("print-header", "print-logo", "print-button").
fn is_display_word(part: &str) -> bool {
    matches!(
        part,
        "d" | "only"
            | "none"
            | "no"
            | "block"
            | "hidden"
            | "hide"
            | "visible"
            | "show"
            | "header"
            | "footer"
            | "logo"
            | "url"
            | "btn"
            | "button"
            | "icon"
    )
}

/// Names of a picture's caption or credit ("wp-caption-text", "imageCaption",
/// "photo-credit", "bildunterschrift", "leyenda").
fn is_caption_word(part: &str) -> bool {
    let pictured = ["img", "image", "photo", "foto", "bild", "picture"]
        .iter()
        .find_map(|p| part.strip_prefix(p));
    part.contains("caption")
        || pictured.is_some_and(|rest| {
            // "imagedescription", "photocredit", "imgsource": what the picture shows or
            // who took it ("image-text" modules hold paragraphs: not listed).
            [
                "description",
                "desc",
                "credit",
                "source",
                "copyright",
                "legend",
            ]
            .iter()
            .any(|w| rest.starts_with(w))
        })
        || matches!(
            part,
            "credit"
                | "credits"
                | "bildunterschrift"
                | "bildnachweis"
                | "legende"
                | "leyenda"
                | "didascalia"
        )
}

/// Numbers of columns or sidebars, as layout class names write them.
fn is_count_word(part: &str) -> bool {
    matches!(part, "one" | "two" | "three" | "single" | "double")
}

/// Words that make a class name describe a layout rather than a part of the page.
fn is_layout_word(part: &str) -> bool {
    matches!(part, "layout" | "has" | "with" | "no")
}

/// Classifies a space-separated class string plus an id.
pub fn classify(class: Option<&str>, id: Option<&str>) -> Hint {
    let bits = [class, id]
        .into_iter()
        .flatten()
        .fold(0, |bits, value| bits | value_bits(value));
    Hint::from_bits(bits)
}

/// What one attribute value (a class string or an id) names, as bits: a class and an
/// id name the element together, each word adding what it names, so each value can
/// be classified (and remembered) on its own.
pub fn value_bits(value: &str) -> u8 {
    let mut bits = 0u8;
    let mut lower = String::with_capacity(value.len());
    let mut joined: Vec<u8> = Vec::with_capacity(value.len());
    for raw in value.split_ascii_whitespace() {
        lower.clear();
        lower.push_str(raw);
        lower.make_ascii_lowercase();
        joined.clear();
        joined.extend(lower.bytes().filter(u8::is_ascii_alphanumeric));
        let joined = std::str::from_utf8(&joined).unwrap_or("");
        let mut name_bits = token_class(joined);
        if joined.len() >= 8 {
            name_bits |= prefix_bits(joined) & (CONTENT | STRONG);
        }
        let mut layout = false;
        let mut display = false;
        // BEM names a block, then a modifier after "--": "Report__Section--Ads" is a
        // section of the report in its variant that carries ad slots beside its text,
        // not an ad. Other furniture words in a modifier ("--article-footer") still
        // name the element's role, so only ad words are discounted there.
        let modifier_at = lower.find("--").unwrap_or(lower.len());
        for (in_modifier, name) in [
            (false, &lower[..modifier_at]),
            (true, &lower[modifier_at..]),
        ] {
            let mut previous = "";
            for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
                if part.is_empty() {
                    continue;
                }
                // "one-sidebar", "two-sidebars": a count of sidebars describes the
                // page's layout ("sidebar-two" is the second sidebar itself).
                layout |= is_count_word(previous) && part.starts_with("sidebar");
                previous = part;
                let mut bits = token_class(part);
                if part.len() > 5 {
                    bits |= prefix_bits(part);
                }
                if in_modifier && is_ad_word(part) {
                    bits &= !BOILERPLATE;
                }
                if is_caption_word(part) {
                    bits |= CAPTION;
                }
                name_bits |= bits;
                layout |= is_layout_word(part);
                display |= is_display_word(part);
            }
        }
        // "print-only", "d-print-none", "print-header": shown only on paper, or only on
        // screen (buttons, bars), or a print control: furniture.
        if display && name_bits & PRINT != 0 {
            name_bits |= BOILERPLATE;
        }
        // "sidebar-layout", "has-sidebar", "two-col-sidebar-right" describe a page
        // layout that contains a sidebar: the element is the wrapper, not the sidebar.
        if layout {
            name_bits &= !BOILERPLATE;
        }
        bits |= name_bits;
    }
    bits
}

impl Hint {
    /// The hint the bits of [`value_bits`] make.
    pub fn from_bits(bits: u8) -> Hint {
        Hint {
            content: bits & CONTENT != 0,
            boilerplate: bits & BOILERPLATE != 0,
            weak_boilerplate: bits & WEAK != 0,
            strong_content: bits & STRONG != 0,
            comments: bits & COMMENTS != 0,
            print: bits & PRINT != 0,
            caption: bits & CAPTION != 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compound_names() {
        assert!(classify(Some("article-body"), None).content);
        assert!(classify(Some("articleBody x"), None).content);
        assert!(classify(Some("shareButtons"), None).boilerplate);
        assert!(classify(Some("ad-slot"), None).boilerplate);
        assert!(!classify(Some("headline"), None).boilerplate);
        assert!(!classify(Some("shadow"), None).boilerplate);
        assert!(classify(None, Some("comments")).boilerplate);
        assert!(!classify(Some("o-row c-fixed-sidebar-layout--300@md"), None).boilerplate);
        assert!(!classify(Some("no-sidebars page-node"), None).boilerplate);
        assert!(classify(Some("sidebar-right"), None).boilerplate);
        assert!(!classify(Some("panel-display zen-one-sidebar-second"), None).boilerplate);
        assert!(!classify(Some("two-sidebars"), None).boilerplate);
        assert!(classify(Some("sidebar-two"), None).boilerplate);
        assert!(!classify(Some("TestReport__Section--Ads"), None).boilerplate);
        assert!(classify(Some("ad-slot--top"), None).boilerplate);
        assert!(classify(Some("widget-area--article-footer"), None).boilerplate);
        assert!(classify(Some("d-none d-print-block"), None).boilerplate);
        assert!(classify(Some("print-only"), None).boilerplate);
        assert!(classify(Some("kommentarModul"), None).boilerplate);
        let printable = classify(Some("recipe-step print-step"), None);
        assert!(printable.print && !printable.boilerplate);
    }

    #[test]
    fn names_of_captions_and_credits() {
        for name in [
            "wp-caption-text",
            "imageCaption",
            "imagedescription",
            "photo-credit",
            "credit",
            "bildunterschrift",
        ] {
            assert!(classify(Some(name), None).caption, "{name}");
        }
        // An image-and-text module holds paragraphs; a headline is no caption.
        assert!(!classify(Some("image-text"), None).caption);
        assert!(!classify(Some("headline"), None).caption);
    }
}
