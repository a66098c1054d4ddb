//! What a page shows around its headline: datelines, bylines and the elements that
//! templates name "author", "byline" or "date". Read only when the page's declarations
//! (JSON-LD, `<meta>`) are silent or name an organisation rather than a person.
//!
//! Everything is weighed by distance to the article's headline (or the start of its
//! body): the story's own byline and dateline sit next to it, while teasers, sidebars
//! and readers' comments carry other people's names and other days.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use regex::Regex;

use super::{attrs_of, authors, dates, normalize_space, relative, AsciiWords};
use crate::content::blocks::{self, Marks, TextBlock};
use crate::html::{Document, Tag};

/// Lines farther than this above the headline are another part of the page.
const LINES_BEFORE: usize = 25;
/// How deep into the body a dateline or byline is still looked for.
const LINES_INSIDE: usize = 8;
/// The body's last lines, where some articles sign off.
const LINES_END: usize = 3;
/// Lines just after the body: signatures and "Erstellt am" notes end some articles.
const LINES_AFTER: usize = 6;

/// The page's visible lines, with the headline and body located among them.
pub struct Layout {
    /// Every text line outside scripts, hidden elements and readers' comments.
    pub lines: Vec<TextBlock>,
    /// Per line: the largest owner up to it (for locating elements among lines).
    reach: Vec<usize>,
    /// Per element: inside readers' comments or hidden (never a source).
    excluded: Vec<bool>,
    /// Line of the headline (or of the body's start).
    anchor: usize,
    /// First line of the body.
    body_start: usize,
    /// One past the last line of the body.
    body_end: usize,
}

impl Layout {
    /// Lays out `doc` around its headline: the `<h1>` reading `title`, else the body's
    /// first line.
    pub fn new(doc: &Document, marks: &Marks, roots: &[usize], title: Option<&str>) -> Layout {
        let n = doc.nodes.len();
        let mut excluded = vec![false; n];
        for i in 1..n {
            let node = &doc.nodes[i];
            if node.tag == Tag::Text {
                continue;
            }
            let parent = node.parent as usize;
            // Cheap tests first: the names are read only when the rest say nothing.
            excluded[i] = (parent != i && excluded[parent])
                || marks.hints[i].comments
                || matches!(
                    node.tag,
                    Tag::Head
                        | Tag::Script
                        | Tag::Style
                        | Tag::Noscript
                        | Tag::Template
                        | Tag::ScriptTemplate
                        | Tag::Svg
                        | Tag::Select
                        | Tag::Option
                        | Tag::Textarea
                        | Tag::Button
                        | Tag::Iframe
                )
                || is_comment_name(doc.attr(i, "class"))
                || is_comment_name(doc.attr(i, "id"));
        }
        let own = Marks {
            pruned: excluded.clone(),
            hints: marks.hints.clone(),
        };
        let lines = blocks::collect(doc, &own);
        // Owners are in document order except where a parent's trailing text follows its
        // children's lines: a running maximum makes "first line at or after a node"
        // a binary search.
        let mut reach = Vec::with_capacity(lines.len());
        let mut max = 0;
        for b in &lines {
            max = max.max(b.owner);
            reach.push(max);
        }
        let in_body = |b: &TextBlock| {
            roots
                .iter()
                .any(|&r| b.owner >= r && b.owner < doc.nodes[r].end as usize)
        };
        let body_start = lines.iter().position(in_body).unwrap_or(0);
        let body_end = lines
            .iter()
            .rposition(in_body)
            .map_or(body_start, |l| l + 1);
        // The headline: the last line reading the title before the body ends (a
        // navigation link may repeat it higher up). Distances are measured from both
        // the headline and the body's start, so a body found late or a headline far
        // above it both still reach the dateline.
        let title = title.map(normalize_space).filter(|t| !t.is_empty());
        let anchor = title
            .as_deref()
            .and_then(|t| {
                let end = body_end.max(body_start + 1).min(lines.len());
                // `normalize_space(line) == t`, word by word, without a copy of each line.
                let mut found =
                    (0..end).filter(|&l| lines[l].text.split_whitespace().eq(t.split(' ')));
                let first_in_body = found.clone().find(|&l| l >= body_start);
                first_in_body.or_else(|| found.next_back())
            })
            .unwrap_or(body_start);
        Layout {
            lines,
            reach,
            excluded,
            anchor,
            body_start,
            body_end,
        }
    }

    /// The line a node's text is in (its first line when it spans several).
    fn line_of(&self, node: usize) -> usize {
        self.reach.partition_point(|&o| o < node)
    }

    /// How far a line is from the headline, or None when it is out of reach: far above
    /// the headline, deep in the body, or well past its end. Lines after the body count
    /// as farther than any line above it.
    pub fn distance(&self, line: usize) -> Option<usize> {
        // Near the headline, or at the top of the body (which may start well after it).
        let near = |reference: usize| {
            if line <= reference {
                (line + LINES_BEFORE >= reference).then(|| reference - line)
            } else {
                (line < reference + LINES_INSIDE).then(|| line - reference)
            }
        };
        match (near(self.anchor), near(self.body_start)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (Some(a), None) => Some(a),
            (None, Some(b)) => Some(b),
            // The body's last lines and the few after it: "Erstellt am …", signatures.
            (None, None) => (line + LINES_END > self.body_end
                && line < self.body_end + LINES_AFTER)
                .then(|| 100 + line.abs_diff(self.body_end)),
        }
    }

    /// Lines within reach, nearest first, with their distance.
    fn nearby(&self) -> Vec<(usize, usize)> {
        let mut near: Vec<(usize, usize)> = (0..self.lines.len())
            .filter_map(|l| self.distance(l).map(|d| (d, l)))
            .collect();
        near.sort();
        near
    }
}

static COMMENT_NAMES: AsciiWords = AsciiWords::new(&["comment", "kommentar", "respond"]);

fn is_comment_name(v: Option<&str>) -> bool {
    v.is_some_and(|v| COMMENT_NAMES.in_text(v))
}

/// A date the page shows or marks up, with where it came from.
#[derive(Debug, Clone)]
pub struct SeenDate {
    /// The time.
    pub value: DateTime<FixedOffset>,
    /// Distance to the headline in lines (smaller is nearer).
    pub distance: usize,
    /// Words before it mark it as an update ("Aktualisiert am").
    pub update: bool,
    /// Where it was read, for `--explain`.
    pub source: &'static str,
    /// The text it was read from.
    pub text: String,
}

/// Words that introduce a dateline ("Publiziert am", "Posted on", "Publié le").
const DATELINE_WORDS: &[&str] = &[
    "publiziert",
    "veröffentlicht",
    "erstellt",
    "geschrieben",
    "datum",
    "stand:",
    "published",
    "posted",
    "date:",
    "publié",
    "mise en ligne",
    "publicado",
    "publicación",
    "fecha",
    "pubblicato",
    "data:",
    "gepubliceerd",
    "opublikowano",
    "опубликовано",
    "опубліковано",
    "pressemitteilung vom",
    "meldung vom",
];

/// Short words that join a byline and a dateline on one line ("Von X am …", "By X on …",
/// "Par X le …", "X | …"): evidence only in a short line, where they are not prose.
const JOINING_WORDS: &[&str] = &[
    "von ", "vom ", "by ", "par ", "por ", " am ", " le ", " on ", " el ", "|", ",",
];

/// Datelines near the headline, best first: a line that is a dateline (the date
/// opens a short line, or a word such as "Publiziert am" introduces it) before a
/// short line that merely holds a date; sentences that mention a day are prose about
/// the story, not its dateline, and are skipped. When the capture time (`reference`)
/// is known, relative datelines ("il y a 3 heures", "gestern, 17:53 Uhr") follow,
/// after every absolute one, by the same rules.
pub fn datelines(
    layout: &Layout,
    lang: Option<&str>,
    zone: Option<Tz>,
    reference: Option<DateTime<FixedOffset>>,
) -> Vec<SeenDate> {
    let mut out = Vec::new();
    let mut relative_out = Vec::new();
    for (distance, l) in layout.nearby() {
        let b = &layout.lines[l];
        let text = dateline_zone(b);
        for f in dates::find_in_text(text, lang, zone) {
            out.extend(as_dateline(b, &f, distance, "visible dateline"));
        }
        if let Some(r) = reference {
            for f in relative::find_in_text(text, lang, r, zone) {
                relative_out.extend(as_dateline(b, &f, distance, "visible dateline (relative)"));
            }
        }
    }
    out.sort_by_key(|d| d.distance);
    relative_out.sort_by_key(|d| d.distance);
    out.extend(relative_out);
    out
}

/// Characters before a date beyond which a long line's date is prose (see
/// [`as_dateline`]).
const PROSE_AFTER: usize = 30;

/// The part of a line where a dateline can be: all of a short line, the opening of a
/// long one. Long paragraphs are most of the text near a headline, and searching them
/// whole for dates that [`as_dateline`] would refuse cost a tenth of an extraction.
fn dateline_zone(b: &TextBlock) -> &str {
    if b.chars <= LONG_LINE {
        return &b.text;
    }
    let start = b.text.len() - b.text.trim_start().len();
    // The longest dateline forms ("Mittwoch, 21. Dezember 2022, 17.53 Uhr MEZ") are
    // well under 120 characters; the margin keeps every match whole.
    let end = b.text[start..]
        .char_indices()
        .nth(PROSE_AFTER + 1 + 200)
        .map_or(b.text.len(), |(i, _)| start + i);
    &b.text[..end]
}

/// Lines longer than this (in characters) are paragraphs, not datelines.
const LONG_LINE: usize = 250;

/// A date found in a line near the headline, as a dateline: None when the line is
/// prose that mentions it, or when it is implausible.
fn as_dateline(
    b: &TextBlock,
    f: &dates::FoundDate,
    distance: usize,
    source: &'static str,
) -> Option<SeenDate> {
    // In a long paragraph only a date that opens it is a dateline
    // ("01.02.2022 – Der Arbeitsmarkt…"); elsewhere it is prose.
    if b.chars > LONG_LINE && b.text[..f.start].trim().chars().nth(PROSE_AFTER).is_some() {
        return None;
    }
    if !dates::plausible(&f.value) {
        return None;
    }
    let before = b.text[..f.start].to_lowercase();
    let rest = b.text.len() - (f.end - f.start);
    let near: String = {
        let chars: Vec<char> = before.chars().collect();
        chars[chars.len().saturating_sub(40)..].iter().collect()
    };
    let introduced = DATELINE_WORDS.iter().any(|w| near.contains(w))
        || (b.chars <= 120 && JOINING_WORDS.iter().any(|w| near.contains(w)))
        || dates::is_update_context(&b.text[..f.start]);
    // The date opens the line: only a weekday or a short label before it, and
    // little after it or a separator ("23.01.2022 - Headline", "24.01.2022 Meldung").
    let glued = b.text[f.end..].starts_with(char::is_alphabetic);
    let after = b.text[f.end..].trim_start();
    let opens = before.split_whitespace().count() <= 2
        && before.trim().chars().count() <= 15
        && !before.chars().any(|c| c.is_ascii_digit())
        && (rest <= 40
            || glued
            || after.starts_with(['-', '–', '—', '|', '·', '•', '⋅', ':', '/', '„', '"', '«']));
    let penalty = if introduced || opens {
        0
    } else if b.chars <= 40 {
        10
    } else {
        return None;
    };
    Some(SeenDate {
        value: f.value,
        distance: distance + penalty,
        update: dates::is_update_context(&b.text[..f.start]),
        source,
        text: b.text.chars().take(80).collect(),
    })
}

/// Dates that templates mark up in attributes: hAtom `<abbr class="published"
/// title="…">`, RDFa `property="…Date…" content="…"`, `<time datetime>`; nearest first.
pub fn marked_dates(doc: &Document, layout: &Layout, zone: Option<Tz>) -> Vec<SeenDate> {
    let mut out = Vec::new();
    for i in 1..doc.nodes.len() {
        let tag = doc.nodes[i].tag;
        if tag == Tag::Text || tag == Tag::Meta || layout.excluded[i] {
            continue;
        }
        // Out of reach of the headline: most of the page, skipped before reading markup.
        let Some(distance) = layout.distance(layout.line_of(i)) else {
            continue;
        };
        // Names compared in any ASCII case, as lower-cased copies would be.
        let [class, itemprop, property, datetime, content, title] = attrs_of(
            doc,
            i,
            [
                "class", "itemprop", "property", "datetime", "content", "title",
            ],
        );
        let class = class.unwrap_or("");
        let prop = itemprop.or(property).unwrap_or("");
        let published_name = class_has(class, &["published", "dt-published", "pubdate"])
            || PUBLISHED_PROPS.in_text(prop)
            || ends_with_ascii(prop, ":date")
            || ends_with_ascii(prop, ":created")
            || ends_with_ascii(prop, "published_time");
        let updated_name = class_has(class, &["updated", "dt-updated", "modified"])
            || UPDATED_PROPS.in_text(prop)
            || ends_with_ascii(prop, ":modified");
        let raw = datetime
            .or_else(|| (published_name || updated_name).then_some(content)?)
            .or_else(|| (published_name || updated_name).then_some(title)?);
        let Some(raw) = raw else { continue };
        let Some(value) = dates::parse_machine(raw, zone).filter(dates::plausible) else {
            continue;
        };
        let update = updated_name && !published_name;
        let source = match (tag, published_name || update) {
            (Tag::Time, false) => "<time datetime>",
            _ if update => "markup (updated)",
            _ => "markup (published)",
        };
        out.push(SeenDate {
            value,
            distance,
            update,
            source,
            text: raw.to_string(),
        });
    }
    out.sort_by_key(|d| d.distance);
    out
}

static PUBLISHED_PROPS: AsciiWords = AsciiWords::new(&["datepublished", "datecreated"]);
static UPDATED_PROPS: AsciiWords = AsciiWords::new(&["datemodified"]);

/// A class list names one of `names` (lower case), in any ASCII case.
fn class_has(class: &str, names: &[&str]) -> bool {
    class
        .split_ascii_whitespace()
        .any(|c| names.iter().any(|n| c.eq_ignore_ascii_case(n)))
}

/// `text` ends with `suffix` (lower case) in any ASCII case.
fn ends_with_ascii(text: &str, suffix: &str) -> bool {
    text.len() >= suffix.len()
        && text.as_bytes()[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// Authors a page shows, with where they came from.
#[derive(Debug, Clone)]
pub struct SeenAuthors {
    /// The names.
    pub names: Vec<String>,
    /// Distance to the headline in lines.
    pub distance: usize,
    /// Where they were read, for `--explain`.
    pub source: &'static str,
}

/// Labels that introduce an author list in templates ("Veröffentlicht von",
/// "Zeige alle Beiträge von", "View all posts by", "Publié par"), in the languages Vigie reads.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^.{0,40}?\b(?:posted|written|published|authored|posts|articles|stories|veröffentlicht|verfasst|geschrieben|beiträge|artikel|erstellt|publié|publiée|écrit|rédigé|articles|publicado|escrito|entradas|artículos|publicat[oa]|scritto|articoli|gepubliceerd|geschreven|opublikowano|napisane|artykuły|опубликовано|автор)\s+(?:by|von|par|de|por|da|di|door|przez)\s+",
    )
    .expect("valid label regex")
});

/// Leading role words of a byline ("Autor:", "Text:", "Redaktion:").
static ROLE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:autor(?:in|en)?|auteur|author|authors|text|texte|redaktion|rédaction|redacción|redazione|redakcja|von|by|par|por|di|door|av|de|автор)\s*[:|]?\s+")
        .expect("valid role regex")
});

/// Where a byline stops: a date, a separator, "am"/"on"/"le" before a day, "|".
static BYLINE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:\||•|·|\s-\s|\s–\s|\bam\s+\d|\bon\s+\w+\s+\d|\ble\s+\d|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\b(?:19|20)\d{2}\b|\n)")
        .expect("valid byline end regex")
});

/// Builds this module's regular expressions now (see [`crate::warm_up`]).
pub(crate) fn warm_up() {
    for re in [&LABEL, &ROLE_PREFIX, &BYLINE_END] {
        LazyLock::force(re);
    }
}

/// Reads author names from a short text that a template marks as a byline.
pub fn names_in(text: &str, loose: bool) -> Vec<String> {
    let t = normalize_space(text);
    if t.is_empty() || t.chars().count() > 120 {
        return Vec::new();
    }
    let t = match LABEL.find(&t) {
        Some(m) => &t[m.end()..],
        None => &t,
    };
    let mut t = t
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    while let Some(m) = ROLE_PREFIX.find(&t) {
        t = t[m.end()..].to_string();
    }
    if let Some(m) = BYLINE_END.find(&t) {
        t.truncate(m.start());
    }
    let t = t.trim().trim_end_matches(['→', '»', '›', ',', ':']).trim();
    if t.is_empty() {
        return Vec::new();
    }
    let names = authors::split_names(t);
    if !names.is_empty() {
        return names;
    }
    // A handle ("jesusfreak", "Bo2man"): a signature the template marked as the author.
    if loose
        && !t.contains(' ')
        && t.chars().count() <= 30
        && t.chars().any(char::is_alphabetic)
        && !t.contains('@')
        && !authors::is_agency(t)
    {
        return vec![t.to_string()];
    }
    Vec::new()
}

/// Author names from markup near the headline: `itemprop=author`, `rel=author`,
/// hCard `author vcard`/`fn`, classes and ids naming an author or byline (in several
/// languages); nearest first.
pub fn marked_authors(doc: &Document, layout: &Layout) -> Vec<SeenAuthors> {
    let n = doc.nodes.len();
    let mut out: Vec<SeenAuthors> = Vec::new();
    let mut i = 1;
    while i < n {
        let node = &doc.nodes[i];
        if node.tag == Tag::Text || layout.excluded[i] {
            i += 1;
            continue;
        }
        // Out of reach of the headline: most of the page, skipped before reading markup.
        let Some(distance) = layout.distance(layout.line_of(i)) else {
            i += 1;
            continue;
        };
        let Some(strength) = author_mark(doc, i) else {
            i += 1;
            continue;
        };
        // Inside the marked element, a name part (itemprop=name, hCard fn, a link to
        // the author's page) is the name without the template's words around it.
        let is_name_part = |j: usize| {
            doc.nodes[j].tag != Tag::Text
                && (doc.attr(j, "itemprop") == Some("name")
                    || doc.attr(j, "class").is_some_and(|c| {
                        c.split_whitespace()
                            .any(|c| c == "fn" || c.ends_with("name"))
                    })
                    || (doc.nodes[j].tag == Tag::A
                        && doc.attr(j, "href").is_some_and(is_author_href)))
        };
        let inner = (i + 1..node.end as usize).find(|&j| is_name_part(j));
        let texts: Vec<String> = match inner {
            Some(_) => (i + 1..node.end as usize)
                .filter(|&j| is_name_part(j))
                .map(|j| doc.subtree_text(j))
                .collect(),
            None => vec![doc.subtree_text(i)],
        };
        let mut names = Vec::new();
        for t in &texts {
            for name in names_in(t, strength >= 2) {
                if !names.iter().any(|n: &String| n.eq_ignore_ascii_case(&name)) {
                    names.push(name);
                }
            }
        }
        if !names.is_empty() {
            out.push(SeenAuthors {
                names,
                distance,
                source: if strength >= 2 {
                    "markup (author)"
                } else {
                    "markup (byline class)"
                },
            });
            // The element's own parts are done.
            i = node.end as usize;
            continue;
        }
        i += 1;
    }
    out.sort_by_key(|a| a.distance);
    out
}

fn is_author_href(h: &str) -> bool {
    let h = h.to_ascii_lowercase();
    [
        "/author/",
        "/autor/",
        "/auteur/",
        "/autoren/",
        "/authors/",
        "/redakteur/",
        "/journalist/",
    ]
    .iter()
    .any(|p| h.contains(p))
}

/// How surely an element's markup says "this is the author": 2 for schema.org and
/// microformat names (`itemprop=author`, `rel=author`, `vcard author`), 1 for class or id
/// words ("byline", "autor"), None otherwise.
fn author_mark(doc: &Document, i: usize) -> Option<u8> {
    if doc
        .attr(i, "itemprop")
        .is_some_and(|p| p.eq_ignore_ascii_case("author") || p.eq_ignore_ascii_case("creator"))
        || doc.attr(i, "rel").is_some_and(|r| {
            r.split_whitespace()
                .any(|r| r.eq_ignore_ascii_case("author"))
        })
    {
        return Some(2);
    }
    let class = doc.attr(i, "class").unwrap_or("");
    let id = doc.attr(i, "id").unwrap_or("");
    if class.is_empty() && id.is_empty() {
        return None;
    }
    // Class and id are read as one text, "class id"; no word holds a space, so none
    // spans the two. An element that names no author word is done with first (a
    // `vcard author` or an `author` link names one too).
    if !(AUTHOR_WORDS.in_text(class) || AUTHOR_WORDS.in_text(id)) {
        return None;
    }
    // Parts of an author box that are not the name, and other people's names.
    if NOT_NAME.in_text(class) || NOT_NAME.in_text(id) {
        return None;
    }
    let has = |name: &str| {
        class
            .split_whitespace()
            .any(|c| c.eq_ignore_ascii_case(name))
    };
    let vcard = has("vcard") && has("author");
    if vcard || has("author") && doc.nodes[i].tag == Tag::A {
        return Some(2);
    }
    Some(1)
}

/// Class and id words of the parts of an author box that are not the name.
static NOT_NAME: AsciiWords = AsciiWords::new(&[
    "avatar",
    "image",
    "img",
    "photo",
    "picture",
    "bio",
    "description",
    "desc",
    "about",
    "social",
    "follow",
    "more",
    "list-",
    "archive",
    "comment",
    "title-",
    "label",
    "icon",
    "thumb",
    "date",
    "time",
]);

/// Class and id words that name an author or a byline.
static AUTHOR_WORDS: AsciiWords = AsciiWords::new(&[
    "author",
    "byline",
    "autor",
    "auteur",
    "writer",
    "verfasser",
    "postedby",
    "posted-by",
    "posted_by",
    "zuordnung",
    "contributor",
    "signature",
    "firma",
    "autore",
]);

/// Visible bylines ("By Jane Doe", "Von Anna Müller", "Par X") near the headline,
/// nearest first.
pub fn bylines(layout: &Layout) -> Vec<SeenAuthors> {
    layout
        .nearby()
        .into_iter()
        .filter_map(|(distance, l)| {
            let b = &layout.lines[l];
            b.text
                .lines()
                .find_map(authors::parse_byline)
                .map(|names| SeenAuthors {
                    names,
                    distance,
                    source: "visible byline",
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_template_labels() {
        // WordPress "Zeige alle Beiträge von X →" author links.
        assert_eq!(
            names_in("Zeige alle Beiträge von Simon Dückert →", true),
            vec!["Simon Dückert"]
        );
        assert_eq!(
            names_in("View all posts by Jane Doe", true),
            vec!["Jane Doe"]
        );
        // "Autor: X/SP-X" (agency after a slash), "VON X am 21. April 2020".
        assert_eq!(
            names_in("Autor: Peter Maahn/SP-X", false),
            vec!["Peter Maahn"]
        );
        assert_eq!(
            names_in("VON MORITZ GATHMANN am 21. April 2020", false),
            vec!["Moritz Gathmann"]
        );
        // Handles only where markup says "author" for sure.
        assert_eq!(names_in("jesusfreak", true), vec!["jesusfreak"]);
        assert!(names_in("jesusfreak", false).is_empty());
        assert!(names_in("dpa", true).is_empty());
    }
}
