//! Article metadata across sources and languages: small pages written for these tests,
//! each reproducing a template pattern seen on public news sites and blogs.

use vigie_extract::{explain_html_at, extract_html, Article, Options};

/// Enough body text for the content stage to find an article.
const BODY: &str = "<p>The council met on Monday evening to discuss the new budget for the coming year, and several members raised concerns about rising costs.</p><p>After a long debate, the proposal was adopted by a narrow majority, with two abstentions and one member absent from the session.</p><p>The mayor said the decision would allow the city to keep its schools and libraries open without raising local taxes this year.</p>";

/// The same in German and French: the language read from the text sets the site's zone.
const BODY_DE: &str = "<p>Der Gemeinderat hat am Montagabend über den neuen Haushalt für das kommende Jahr beraten, und mehrere Mitglieder äußerten Bedenken wegen der steigenden Kosten.</p><p>Nach einer langen Debatte wurde der Vorschlag mit knapper Mehrheit angenommen, bei zwei Enthaltungen und einem abwesenden Mitglied.</p><p>Der Bürgermeister sagte, die Entscheidung erlaube es der Stadt, ihre Schulen und Bibliotheken offen zu halten, ohne die Steuern zu erhöhen.</p>";
const BODY_FR: &str = "<p>Le conseil municipal s'est réuni lundi soir pour discuter du nouveau budget de l'année prochaine, et plusieurs membres ont exprimé leur inquiétude face à la hausse des coûts.</p><p>Après un long débat, la proposition a été adoptée à une courte majorité, avec deux abstentions et un membre absent de la séance.</p><p>Le maire a déclaré que cette décision permettrait à la ville de garder ses écoles et ses bibliothèques ouvertes sans augmenter les impôts locaux.</p>";

fn article(page: &str, url: Option<&str>) -> Article {
    extract_html(page.as_bytes(), url, &Options::default()).unwrap()
}

fn published(a: &Article) -> String {
    a.published.map(|d| d.to_rfc3339()).unwrap_or_default()
}

#[test]
fn yoast_graph_author_reference_is_resolved() {
    // WordPress + Yoast SEO: the Article's author is {"@id": …}, the Person sits
    // elsewhere in the @graph (pattern of most WordPress blogs since Yoast 11).
    let page = format!(
        r#"<html lang="de"><head><title>Gartenzeit</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@graph":[
 {{"@type":"Article","@id":"https://example.de/a/#article","headline":"Gartenzeit",
   "author":{{"@id":"https://example.de/#/schema/person/abc"}},
   "datePublished":"2021-11-29T14:13:37+00:00","dateModified":"2022-01-12T14:27:30+00:00"}},
 {{"@type":["Person","Organization"],"@id":"https://example.de/#/schema/person/abc","name":"Christa Beispiel"}}
]}}</script></head><body><article><h1>Gartenzeit</h1>{BODY_DE}</article></body></html>"#
    );
    let a = article(&page, None);
    assert_eq!(a.authors, vec!["Christa Beispiel"]);
    // Declared in UTC, shown in the site's zone (German page: Europe/Berlin).
    assert_eq!(published(&a), "2021-11-29T15:13:37+01:00");
    assert_eq!(
        a.updated.map(|d| d.to_rfc3339()).as_deref(),
        Some("2022-01-12T15:27:30+01:00")
    );
}

#[test]
fn broken_json_ld_is_still_read() {
    // Trailing commas and a raw line break inside a string, as hand-edited templates emit.
    let page = format!(
        "<html><head><script type=\"application/ld+json\">{{\"@type\":\"NewsArticle\",\"headline\":\"Budget adopted\",\"author\":{{\"@type\":\"Person\",\"name\":\"Jane\nDoe\",}},\"datePublished\":\"2022-12-19T17:53:00+01:00\",}}</script></head><body><article><h1>Budget adopted</h1>{BODY}</article></body></html>"
    );
    let a = article(&page, None);
    assert_eq!(a.authors, vec!["Jane Doe"]);
    assert_eq!(published(&a), "2022-12-19T17:53:00+01:00");
}

#[test]
fn several_articles_in_json_ld_pick_the_main_one() {
    // A page that declares its story and, in a list, teasers of related stories.
    let page = format!(
        r#"<html><head><script type="application/ld+json">[
 {{"@type":"NewsArticle","headline":"Related teaser","author":"Someone Else","datePublished":"2020-01-01T10:00:00Z"}},
 {{"@type":"NewsArticle","headline":"Budget adopted","author":{{"@type":"Person","name":"Jane Doe"}},"datePublished":"2022-12-19T17:53:00+01:00","articleBody":"The council met on Monday evening to discuss the new budget for the coming year."}}
]</script></head><body><article><h1>Budget adopted</h1>{BODY}</article></body></html>"#
    );
    let a = article(&page, None);
    assert_eq!(a.authors, vec!["Jane Doe"]);
    assert_eq!(published(&a), "2022-12-19T17:53:00+01:00");
}

#[test]
fn contradicting_sources_follow_the_documented_order() {
    // JSON-LD, then <meta>, then the visible dateline: the declared time wins, the others
    // are reported as losing candidates by --explain.
    let page = format!(
        r#"<html lang="en"><head>
<script type="application/ld+json">{{"@type":"NewsArticle","headline":"Budget adopted","datePublished":"2022-12-19T17:53:00+01:00"}}</script>
<meta property="article:published_time" content="2022-12-18T09:00:00+01:00">
</head><body><article><h1>Budget adopted</h1><p class="dateline">Published Dec. 17, 2022 5:53 p.m.</p>{BODY}</article></body></html>"#
    );
    let a = article(&page, None);
    assert_eq!(published(&a), "2022-12-19T17:53:00+01:00");
    let report = explain_html_at(page.as_bytes(), None, &Options::default()).unwrap();
    let section: String = report
        .split("\npublished:\n")
        .nth(1)
        .unwrap()
        .split("\nupdated:")
        .next()
        .unwrap()
        .to_string();
    let lines: Vec<&str> = section.lines().collect();
    assert!(
        lines[0].starts_with("  * json-ld datePublished"),
        "{section}"
    );
    assert!(
        lines[1].contains("meta article:published_time"),
        "{section}"
    );
    assert!(section.contains("visible dateline"), "{section}");
    for field in ["title:", "lang:", "site:", "authors:", "updated:"] {
        assert!(report.contains(field), "{field} missing from {report}");
    }
}

#[test]
fn french_dateline_and_update_without_declarations() {
    // Le Monde / Les Echos style: "Publié le … à …", "Mis à jour le …".
    let page = format!(
        r#"<html lang="fr"><head><title>Le budget adopté</title></head><body><article>
<h1>Le budget adopté</h1><p class="meta">Par Jean Dupont et Marie Curie (avec AFP)</p>
<p>Publié le 19 déc. 2022 à 17:53 Mis à jour le 20 déc. 2022 à 09:10</p>{BODY_FR}</article></body></html>"#
    );
    let a = article(&page, None);
    assert_eq!(published(&a), "2022-12-19T17:53:00+01:00");
    assert_eq!(
        a.updated.map(|d| d.to_rfc3339()).as_deref(),
        Some("2022-12-20T09:10:00+01:00")
    );
    assert_eq!(a.authors, vec!["Jean Dupont", "Marie Curie"]);
}

#[test]
fn german_byline_markup_and_dateline() {
    // WordPress themes (Twenty Fifteen and relatives): "von <span class="author vcard">".
    let page = format!(
        r#"<html lang="de"><head><title>Neuer Haushalt beschlossen</title></head><body>
<div class="site"><h1 class="entry-title">Neuer Haushalt beschlossen</h1>
<div class="entry-meta"><span class="posted-on">Veröffentlicht am 19. Dezember 2022, 17.53 Uhr</span>
<span class="byline"> von <span class="author vcard"><a class="url fn n" href="https://example.de/author/anna/">Anna Müller</a></span></span></div>
<div class="entry-content">{BODY_DE}</div>
<div class="comments-area"><div class="comment-author vcard"><b class="fn">Leser Eins</b> sagt:</div>
<p>Am 20. Dezember 2022 um 08:00 Uhr: Toller Artikel!</p></div></div></body></html>"#
    );
    let a = article(&page, None);
    assert_eq!(a.authors, vec!["Anna Müller"]);
    assert_eq!(published(&a), "2022-12-19T17:53:00+01:00");
}

#[test]
fn site_name_as_author_gives_way_to_the_byline() {
    // Regional papers often put their own name in <meta name=author>.
    let page = format!(
        r#"<html lang="de"><head><title>Neuer Haushalt</title><meta property="og:site_name" content="Tagblatt Beispielstadt">
<meta name="author" content="Tagblatt Beispielstadt"></head><body><article><h1>Neuer Haushalt</h1>
<p class="article-author">Von Lisa Petrich</p>{BODY_DE}</article></body></html>"#
    );
    let a = article(&page, None);
    assert_eq!(a.authors, vec!["Lisa Petrich"]);
    // Without a byline the organisation is all there is, and it is kept.
    let page = page.replace(r#"<p class="article-author">Von Lisa Petrich</p>"#, "");
    assert_eq!(article(&page, None).authors, vec!["Tagblatt Beispielstadt"]);
}

#[test]
fn author_lists_drop_agencies_and_roles() {
    // Spanish agency bylines: "Por X y Y / EFE".
    let page = format!(
        r#"<html lang="es"><head><title>Presupuesto aprobado</title></head><body><article><h1>Presupuesto aprobado</h1>
<p>Por María López y Juan Pérez / EFE</p>{BODY}</article></body></html>"#
    );
    assert_eq!(
        article(&page, None).authors,
        vec!["María López", "Juan Pérez"]
    );
}

#[test]
fn date_in_the_address_and_in_an_hatom_title() {
    // Archive-era WordPress: <abbr class="published" title="…"> and a /2009/08/06/ permalink.
    let page = format!(
        r#"<html lang="de"><head><title>Krimi der Woche</title></head><body><div class="post">
<h2>Krimi der Woche</h2><div class="postDate"><abbr class="published" title="2009-08-06T14:12:32+02:00">6. August 2009</abbr></div>
<div class="entry">{BODY_DE}</div></div></body></html>"#
    );
    assert_eq!(
        published(&article(&page, None)),
        "2009-08-06T14:12:32+02:00"
    );
    let bare = format!("<html><body><article><h1>Story</h1>{BODY}</article></body></html>");
    let a = article(&bare, Some("https://example.com/2019/11/19/story.html"));
    assert_eq!(published(&a), "2019-11-19T00:00:00+00:00");
}

#[test]
fn impossible_dates_are_only_a_last_resort() {
    let page = format!(
        r#"<html><head><meta property="article:published_time" content="1970-01-01T00:00:00Z">
<meta name="date" content="2021-03-04"></head><body><article><h1>Story</h1>{BODY}</article></body></html>"#
    );
    assert_eq!(
        published(&article(&page, None)),
        "2021-03-04T00:00:00+00:00"
    );
    let only = format!(
        r#"<html><head><meta property="article:published_time" content="1970-01-01T00:00:00Z"></head><body><article><h1>Story</h1>{BODY}</article></body></html>"#
    );
    assert_eq!(
        published(&article(&only, None)),
        "1970-01-01T00:00:00+00:00"
    );
}
