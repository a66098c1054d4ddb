//! Class and id hints: words that page authors, in any language, use to name the parts
//! of a page. They are evidence, weighed with text statistics, never a verdict alone.

/// What a class/id attribute says about an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hint {
    /// Names the article's main text ("article-body", "entry-content", "story").
    pub content: bool,
    /// Names page furniture that never belongs to an article (ads, share bars, comments…).
    pub boilerplate: bool,
    /// Names something that is often, not always, furniture (header, meta, related links…).
    pub weak_boilerplate: bool,
}

/// Whole tokens that name an article's text.
const CONTENT_TOKENS: &[&str] = &[
    "article", "articlebody", "article_body", "story", "storybody", "content", "entry",
    "post", "postbody", "body", "text", "main", "prose", "richtext", "blog", "paywall",
    "artikel", "artikeltext", "contenu", "texte", "cuerpo", "contenido", "noticia",
    "testo", "corpo", "tresc", "inhalt", "bodytext", "maincontent",
];

/// Tokens (or token prefixes for the long ones) that name furniture.
const BOILERPLATE_TOKENS: &[&str] = &[
    "comment", "comments", "kommentar", "kommentare", "commentaires", "disqus", "share",
    "sharing", "sharebar", "social", "socials", "related", "relatedposts", "recommended",
    "recommendations", "recirc", "recirculation", "newsletter", "newsletters", "subscribe",
    "subscription", "promo", "promotion", "advert", "advertisement", "advertising", "ad",
    "ads", "adslot", "adunit", "adsbygoogle", "dfp", "gpt", "sponsor", "sponsored",
    "cookie", "cookies", "consent", "gdpr", "popup", "modal", "sidebar", "widget", "widgets",
    "breadcrumb", "breadcrumbs", "pagination", "pager", "footer", "navbar", "navigation",
    "nav", "menu", "outbrain", "taboola", "toolbar", "print", "skip", "masthead", "signup",
    "login", "rating", "survey", "disclaimer", "copyright", "sronly", "visuallyhidden",
    "mostread", "mostpopular", "popular", "trending", "readmore", "morestories",
    "teaser", "teasers", "banner", "werbung", "anzeige", "publicite", "publicidad",
    "reklama", "tags", "tagcloud", "taglist", "keywords", "authorbio", "bio", "follow",
    "jumplink", "tooltip", "inline-ad", "upsell", "offer", "offers", "donate", "donation",
    "playlist", "carousel", "slider", "newsletterbox", "partner", "partners", "affiliate",
];

/// Tokens that often name furniture but also wrap real content on some sites.
const WEAK_BOILERPLATE_TOKENS: &[&str] = &[
    "header", "meta", "byline", "author", "caption", "credit", "date", "time", "info",
    "more", "links", "aside", "extra", "secondary", "box", "card", "list", "tools",
    "utility", "video", "gallery", "image", "photo", "figure", "embed", "top", "bottom",
];

/// Classifies a space-separated class string plus an id.
pub fn classify(class: Option<&str>, id: Option<&str>) -> Hint {
    let mut hint = Hint::default();
    for value in [class, id].into_iter().flatten() {
        for raw in value.split_ascii_whitespace() {
            classify_name(raw, &mut hint);
        }
    }
    hint
}

fn classify_name(raw: &str, hint: &mut Hint) {
    let lower = raw.to_ascii_lowercase();
    // "article-body" and "articleBody" both name the same thing: test the whole name with
    // separators removed, then each part.
    let joined: String = lower.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let check = |tok: &str, hint: &mut Hint| {
        if tok.is_empty() {
            return;
        }
        if CONTENT_TOKENS.contains(&tok) {
            hint.content = true;
        }
        if BOILERPLATE_TOKENS.contains(&tok) {
            hint.boilerplate = true;
        }
        if WEAK_BOILERPLATE_TOKENS.contains(&tok) {
            hint.weak_boilerplate = true;
        }
    };
    check(&joined, hint);
    for part in lower.split(|c: char| !c.is_ascii_alphanumeric()) {
        check(part, hint);
        // camelCase and compound names: "shareButtons", "relatedArticles", "adContainer".
        for prefix in ["share", "related", "comment", "newsletter", "social", "promo", "advert", "sponsor", "outbrain", "taboola", "cookie", "subscri", "recommend", "breadcrumb", "sidebar", "mostread", "mostpopular", "readmore", "footer", "navbar", "trending", "paywallpromo", "signup"] {
            if part.len() > prefix.len() && part.starts_with(prefix) {
                hint.boilerplate = true;
            }
        }
        for prefix in ["articlebody", "storybody", "entrycontent", "postcontent", "articlecontent", "articletext", "storycontent", "bodytext", "maincontent", "artikelbody", "richtext"] {
            if part.starts_with(prefix) {
                hint.content = true;
            }
        }
    }
    if joined.starts_with("articlebody") || joined.starts_with("storybody") || joined.contains("entrycontent") || joined.contains("postcontent") || joined.contains("articlecontent") || joined.contains("articletext") || joined.contains("storytext") {
        hint.content = true;
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
    }
}
