//! Chooses each metadata field among its candidates, in a documented order, and keeps
//! the losers for `vigie extract --explain`.
//!
//! Order for the publication time (first plausible one wins):
//! 1. JSON-LD `datePublished` of the page's article;
//! 2. `<meta>` publication keys (`article:published_time`, `datePublished`, `date`,
//!    `dc.date`, `sailthru.date`, `parsely-pub-date`…), in that order;
//! 3. JSON-LD `datePublished` of the page's other creative work (web page, recipe…);
//! 4. dates marked up near the headline (`<time datetime>`, hAtom `published`, RDFa);
//! 5. the day in the address (`/2022/12/19/`), refined to the minute by a visible
//!    dateline of the same day;
//! 6. the visible dateline nearest the headline that is not an update; then, only when
//!    the capture time is known ([`crate::Options::reference_time`]), the relative
//!    dateline nearest the headline ("il y a 3 heures", "gestern, 17:53 Uhr"), read
//!    against it;
//! 7. a declared creation time (`dateCreated`), then the first `<time datetime>` anywhere;
//! 8. the update time, when a page only says when it changed;
//! 9. an implausible date (before 1990, in the future) when nothing else exists.
//!
//! Declarations come first because they are written for machines; the visible text is
//! read when they are silent. Authors follow the same idea: JSON-LD, then `<meta>`,
//! then markup near the headline, then a visible byline, and a name that is the
//! publication's own (an organisation) only when no person is named anywhere.

use std::cell::OnceCell;

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;

use super::visible::{self, Layout};
use super::{authors, dates, normalize_space, PageMeta};
use crate::content::blocks::Marks;
use crate::html::Document;

/// One value a source proposed for a field.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Where the value was read ("json-ld", "meta article:published_time", …).
    pub source: String,
    /// The value as Vigie read it.
    pub value: String,
    /// Why it lost, when it was set aside rather than merely outranked.
    pub note: Option<&'static str>,
}

/// The candidates of one field, the winner first when there is one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldReport {
    /// The field's name ("published", "authors"…).
    pub field: &'static str,
    /// Index of the winning candidate.
    pub winner: Option<usize>,
    /// Every candidate, in the order of precedence.
    pub candidates: Vec<Candidate>,
}

impl FieldReport {
    /// A report of `field` without candidates yet.
    pub(crate) fn new(field: &'static str) -> FieldReport {
        FieldReport {
            field,
            ..FieldReport::default()
        }
    }

    /// Adds a candidate, returning its index.
    pub(crate) fn push(&mut self, source: impl Into<String>, value: impl Into<String>) -> usize {
        self.candidates.push(Candidate {
            source: source.into(),
            value: value.into(),
            note: None,
        });
        self.candidates.len() - 1
    }

    /// Records a field chosen elsewhere: its candidates and the chosen value.
    pub fn from_choice(
        field: &'static str,
        candidates: &[(&str, Option<&str>)],
        chosen: Option<&str>,
    ) -> FieldReport {
        let mut r = FieldReport::new(field);
        for (source, value) in candidates {
            if let Some(v) = value {
                r.push(*source, *v);
            }
        }
        if let Some(c) = chosen {
            r.winner = r.candidates.iter().position(|x| x.value == c);
            if r.winner.is_none() {
                r.winner = Some(r.push("derived", c));
            }
        }
        r
    }
}

/// What the page says about itself, with the wider context needed to read it.
pub struct Inputs<'a> {
    /// The parsed page.
    pub doc: &'a Document,
    /// The content stage's per-element marks.
    pub marks: &'a Marks,
    /// The elements holding the article's body.
    pub roots: &'a [usize],
    /// The page's declarations.
    pub meta: &'a PageMeta,
    /// The page's address and canonical address, when known.
    pub urls: &'a [&'a str],
    /// The article's language.
    pub lang: Option<&'a str>,
    /// The site's time zone, when it can be known.
    pub zone: Option<Tz>,
    /// The publication's name.
    pub site: Option<&'a str>,
    /// The page's host name.
    pub host: Option<&'a str>,
    /// The chosen headline.
    pub title: Option<&'a str>,
    /// When the page was captured, for relative datelines ("3 hours ago").
    pub reference: Option<DateTime<FixedOffset>>,
    /// Read every candidate, for the report, even those that cannot change the choice.
    pub thorough: bool,
}

/// The chosen dates and authors, with the report of how.
#[derive(Debug, Default)]
pub struct Resolved {
    /// Publication time.
    pub published: Option<DateTime<FixedOffset>>,
    /// Last update time (differs from `published`).
    pub updated: Option<DateTime<FixedOffset>>,
    /// Author names.
    pub authors: Vec<String>,
    /// One report per field.
    pub reports: Vec<FieldReport>,
}

/// Keys of `<meta>` publication times, most specific first.
const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datepublished",
    "article.published",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "citation_publication_date",
    "citation_date",
];

/// Keys of `<meta>`/microdata creation times: often when a record was first made (a
/// recipe in 2004, a template), weaker than a publication time or a visible dateline.
const CREATED_KEYS: &[&str] = &["datecreated", "created", "date.created"];

/// Keys of `<meta>` update times.
const UPDATED_KEYS: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dcterms.modified",
    "dc.date.modified",
];

/// Keys of `<meta>` author names.
const AUTHOR_KEYS: &[&str] = &[
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "sailthru.author",
    "parsely-author",
    "byl",
    "citation_author",
];

/// The dates a page declares for machines, as written: JSON-LD, `<meta>` publication
/// and update keys, then the first `<time datetime>` values. Their offsets tell the
/// site's zone ([`super::zone::site_zone`]).
pub fn declared_dates(pm: &PageMeta) -> Vec<&str> {
    let jsonld = pm
        .jsonld
        .iter()
        .flat_map(|j| [j.published.as_deref(), j.modified.as_deref()])
        .flatten();
    let metas = PUBLISHED_KEYS
        .iter()
        .chain(UPDATED_KEYS)
        .filter_map(|k| pm.meta.get(*k).map(String::as_str));
    let times = pm.time_elements.iter().take(10).map(String::as_str);
    jsonld.chain(metas).chain(times).collect()
}

/// Chooses published, updated and authors.
pub fn resolve(inp: &Inputs<'_>) -> Resolved {
    // What the page shows (its lines laid out around the headline, their datelines and
    // bylines) is read only when the declarations leave a field open: a plausible
    // declared value is chosen before any visible one, and laying out a page costs as
    // much as a fifth of its extraction.
    let layout = OnceCell::new();
    let layout = || layout.get_or_init(|| Layout::new(inp.doc, inp.marks, inp.roots, inp.title));
    let seen = OnceCell::new();
    let seen = || {
        seen.get_or_init(|| Seen {
            marked: visible::marked_dates(inp.doc, layout(), inp.zone),
            datelines: visible::datelines(layout(), inp.lang, inp.zone, inp.reference),
        })
    };
    let (updated, updated_report) = resolve_updated(inp, &seen);
    let (published, published_report) = resolve_published(inp, &seen, updated.as_ref());
    let (authors, authors_report) = resolve_authors(inp, &layout);
    let published = published.map(|d| dates::to_site_zone(d, inp.zone));
    let updated = updated.map(|d| dates::to_site_zone(d, inp.zone));
    Resolved {
        published,
        updated: updated.filter(|u| Some(*u) != published),
        authors,
        reports: vec![published_report, updated_report, authors_report],
    }
}

/// The dates a page shows: in elements marked as dates, and in lines near the headline.
struct Seen {
    marked: Vec<visible::SeenDate>,
    datelines: Vec<visible::SeenDate>,
}

fn resolve_published<'s>(
    inp: &Inputs<'_>,
    seen: &impl Fn() -> &'s Seen,
    updated: Option<&DateTime<FixedOffset>>,
) -> (Option<DateTime<FixedOffset>>, FieldReport) {
    let mut r = FieldReport::new("published");
    let pm = inp.meta;
    let zone = inp.zone;
    let mut found: Vec<(usize, DateTime<FixedOffset>)> = Vec::new();
    // Whether a candidate so far is plausible: the first such wins.
    let mut decided = false;
    let mut add =
        |r: &mut FieldReport, source: String, raw: &str, value: Option<DateTime<FixedOffset>>| {
            let i = r.push(source, raw);
            match value {
                Some(v) => found.push((i, v)),
                None => r.candidates[i].note = Some("unreadable"),
            }
            value.as_ref().is_some_and(dates::plausible)
        };
    if let Some(j) = pm.jsonld.as_ref().filter(|j| !j.stand_in) {
        if let Some(p) = &j.published {
            decided |= add(
                &mut r,
                "json-ld datePublished".into(),
                p,
                dates::parse_machine(p, zone),
            );
        }
    }
    for key in PUBLISHED_KEYS {
        if let Some(v) = pm.meta.get(*key) {
            decided |= add(
                &mut r,
                format!("meta {key}"),
                v,
                dates::parse_machine(v, zone),
            );
        }
    }
    if let Some(j) = pm.jsonld.as_ref().filter(|j| j.stand_in) {
        if let Some(p) = &j.published {
            decided |= add(
                &mut r,
                "json-ld datePublished (page)".into(),
                p,
                dates::parse_machine(p, zone),
            );
        }
    }
    // The first plausible candidate wins: after a plausible declared one, the rest
    // are read only for the report.
    if decided && !inp.thorough {
        return finish_published(r, &found);
    }
    let Seen { marked, datelines } = seen();
    for d in marked.iter().filter(|d| !d.update) {
        add(&mut r, d.source.into(), &d.text, Some(d.value));
    }
    let visible: Vec<&visible::SeenDate> = datelines.iter().filter(|d| !d.update).collect();
    for u in inp.urls {
        if let Some(day) = dates::find_in_url(u, zone) {
            // The address gives the day; a dateline of that day gives the minute.
            let same_day = visible
                .iter()
                .find(|d| d.value.date_naive() == day.date_naive())
                .map(|d| d.value);
            add(&mut r, "address".into(), u, Some(same_day.unwrap_or(day)));
        }
    }
    for d in &visible {
        add(&mut r, d.source.into(), &d.text, Some(d.value));
    }
    for key in CREATED_KEYS {
        if let Some(v) = pm.meta.get(*key) {
            add(
                &mut r,
                format!("meta {key}"),
                v,
                dates::parse_machine(v, zone),
            );
        }
    }
    if let Some(t) = pm.time_elements.first() {
        add(
            &mut r,
            "first <time datetime>".into(),
            t,
            dates::parse_machine(t, zone),
        );
    }
    if let Some(u) = updated {
        add(&mut r, "update time".into(), &u.to_rfc3339(), Some(*u));
    }
    finish_published(r, &found)
}

/// The first plausible candidate (else the first), implausible ones noted.
fn finish_published(
    mut r: FieldReport,
    found: &[(usize, DateTime<FixedOffset>)],
) -> (Option<DateTime<FixedOffset>>, FieldReport) {
    let winner = found
        .iter()
        .find(|(_, v)| dates::plausible(v))
        .or_else(|| found.first())
        .copied();
    for (i, v) in found {
        if !dates::plausible(v) {
            r.candidates[*i].note = Some("implausible (before 1990 or in the future)");
        }
    }
    r.winner = winner.map(|(i, _)| i);
    (winner.map(|(_, v)| v), r)
}

fn resolve_updated<'s>(
    inp: &Inputs<'_>,
    seen: &impl Fn() -> &'s Seen,
) -> (Option<DateTime<FixedOffset>>, FieldReport) {
    let mut r = FieldReport::new("updated");
    let pm = inp.meta;
    let mut found: Vec<(usize, DateTime<FixedOffset>)> = Vec::new();
    // Whether a candidate so far is plausible (only those are kept; the first wins).
    let mut decided = false;
    let mut add =
        |r: &mut FieldReport, source: String, raw: &str, value: Option<DateTime<FixedOffset>>| {
            let i = r.push(source, raw);
            match value.filter(dates::plausible) {
                Some(v) => {
                    found.push((i, v));
                    true
                }
                None => {
                    r.candidates[i].note = Some("unreadable or implausible");
                    false
                }
            }
        };
    if let Some(m) = pm.jsonld.as_ref().and_then(|j| j.modified.as_ref()) {
        decided |= add(
            &mut r,
            "json-ld dateModified".into(),
            m,
            dates::parse_machine(m, inp.zone),
        );
    }
    for key in UPDATED_KEYS {
        if let Some(v) = pm.meta.get(*key) {
            decided |= add(
                &mut r,
                format!("meta {key}"),
                v,
                dates::parse_machine(v, inp.zone),
            );
        }
    }
    // After a declared update time, the page's are read only for the report.
    if !decided || inp.thorough {
        let Seen { marked, datelines } = seen();
        for d in marked.iter().chain(datelines).filter(|d| d.update) {
            add(&mut r, d.source.into(), &d.text, Some(d.value));
        }
    }
    let winner = found.first().copied();
    r.winner = winner.map(|(i, _)| i);
    (winner.map(|(_, v)| v), r)
}

fn resolve_authors<'l>(
    inp: &Inputs<'_>,
    layout: &impl Fn() -> &'l Layout,
) -> (Vec<String>, FieldReport) {
    let mut r = FieldReport::new("authors");
    let pm = inp.meta;
    // Each candidate: (report index, names, names the publication rather than a person).
    let mut found: Vec<(usize, Vec<String>, bool)> = Vec::new();
    // Whether a candidate so far names a person: the first such wins.
    let mut person = false;
    let mut add = |r: &mut FieldReport, source: String, names: Vec<String>, org: bool| {
        let names = clean(names);
        if names.is_empty() {
            return false;
        }
        let org = org || names.iter().all(|n| names_publication(n, inp));
        let i = r.push(source, names.join(", "));
        found.push((i, names, org));
        !org
    };
    if let Some(j) = &pm.jsonld {
        person |= add(&mut r, "json-ld author".into(), j.authors.clone(), false);
        person |= add(
            &mut r,
            "json-ld author (organisation)".into(),
            j.organisations.clone(),
            true,
        );
    }
    for key in AUTHOR_KEYS {
        if let Some(v) = pm.meta.get(*key) {
            if v.starts_with("http") || v.contains("://") {
                continue;
            }
            person |= add(&mut r, format!("meta {key}"), meta_names(v), false);
        }
    }
    // Yoast's reading-time card: twitter:label1 "Written by" / twitter:data1 "Name".
    for n in 1..=4 {
        let (Some(label), Some(data)) = (
            pm.meta.get(&format!("twitter:label{n}")),
            pm.meta.get(&format!("twitter:data{n}")),
        ) else {
            continue;
        };
        if is_author_label(label) {
            person |= add(
                &mut r,
                format!("meta twitter:data{n}"),
                meta_names(data),
                false,
            );
        }
    }
    // After a declared person, the page's bylines and author links are read only for
    // the report.
    if inp.thorough || !person {
        let layout = layout();
        for a in visible::marked_authors(inp.doc, layout) {
            add(&mut r, a.source.into(), a.names, false);
        }
        for a in visible::bylines(layout) {
            add(&mut r, a.source.into(), a.names, false);
        }
        add(
            &mut r,
            "rel=author link".into(),
            pm.rel_authors
                .iter()
                .flat_map(|t| visible::names_in(t, true))
                .collect(),
            false,
        );
    }
    let winner = found
        .iter()
        .find(|(_, _, org)| !org)
        .or_else(|| found.first());
    for (i, _, org) in &found {
        if *org {
            r.candidates[*i].note = Some("names the publication, not a person");
        }
    }
    r.winner = winner.map(|(i, _, _)| *i);
    (winner.map(|(_, n, _)| n.clone()).unwrap_or_default(), r)
}

/// Names in a `<meta>` value: "By Jane Doe, John Roe", "Fiona Bornhöft,Mariam Hofbeck".
fn meta_names(v: &str) -> Vec<String> {
    let v = normalize_space(v);
    if let Some(names) = authors::parse_byline(&v) {
        return names;
    }
    let names = visible::names_in(&v, true);
    if !names.is_empty() {
        return names;
    }
    // Declared as it is: a name the byline rules do not recognise is still the
    // page's own statement (a handle, a single word).
    v.split([',', ';'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn is_author_label(label: &str) -> bool {
    let l = label.to_lowercase();
    [
        "written by",
        "author",
        "verfasst von",
        "geschrieben von",
        "autor",
        "écrit par",
        "auteur",
        "escrito por",
        "scritto da",
        "geschreven door",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// Placeholders some templates print where a name should be.
const PLACEHOLDERS: &[&str] = &[
    "admin",
    "administrator",
    "unknown",
    "no author",
    "anonymous",
    "author",
    "autor",
    "auteur",
    "guest",
    "null",
    "none",
    "webmaster",
];

fn clean(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let n = normalize_space(&n);
        let n = n
            .trim_matches(|c: char| c == ',' || c == ';' || c == '|')
            .trim();
        if n.is_empty()
            || n.chars().count() > 80
            || PLACEHOLDERS.contains(&n.to_lowercase().as_str())
            || out.iter().any(|o| o.eq_ignore_ascii_case(n))
        {
            continue;
        }
        out.push(n.to_string());
    }
    out
}

/// Letters and digits only, lower case: "Les Échos" ≈ "lesechos".
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// True when a "name" is the publication itself: its site name, its publisher, its
/// domain ("finanztreff.de"), or reads like a web address.
fn names_publication(name: &str, inp: &Inputs<'_>) -> bool {
    let n = squash(name);
    if n.is_empty() {
        return true;
    }
    let lower = name.to_lowercase();
    if lower.contains("www.")
        || lower.contains(".com")
        || lower.split_whitespace().any(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.rsplit_once('.').is_some_and(|(a, tld)| {
                a.len() >= 2
                    && (2..=3).contains(&tld.len())
                    && tld.chars().all(|c| c.is_ascii_lowercase())
            })
        })
    {
        return true;
    }
    let publisher = inp
        .meta
        .jsonld
        .as_ref()
        .and_then(|j| j.publisher.as_deref());
    let same = |other: &str| {
        let o = squash(other);
        o.len() >= 3
            && (o == n || (n.len() >= 5 && o.contains(&n)) || (o.len() >= 5 && n.contains(&o)))
    };
    if inp.site.is_some_and(same) || publisher.is_some_and(same) {
        return true;
    }
    // The host's main label: "www.badische-zeitung.de" → "badischezeitung".
    if let Some(host) = inp.host {
        let labels: Vec<&str> = host.split('.').collect();
        if labels.len() >= 2 {
            let main = squash(labels[labels.len() - 2]);
            if main.len() >= 4 && (n.contains(&main) || main == n) {
                return true;
            }
        }
    }
    false
}
