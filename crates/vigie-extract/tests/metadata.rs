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
fn declared_answers_still_report_what_the_page_shows() {
    // Extraction stops reading candidates once the declarations decide (the page's
    // lines are not laid out then); --explain still lists the visible ones as losers.
    let page = format!(
        r#"<html lang="en"><head>
<script type="application/ld+json">{{"@type":"NewsArticle","headline":"Budget adopted","datePublished":"2022-12-19T17:53:00+01:00","dateModified":"2022-12-20T08:00:00+01:00","author":{{"@type":"Person","name":"Jane Doe"}}}}</script>
</head><body><article><h1>Budget adopted</h1><p class="byline">By John Roe</p><p class="dateline">Published Dec. 17, 2022 5:53 p.m. Updated Dec. 18, 2022 9:00 a.m.</p>{BODY}</article></body></html>"#
    );
    let a = article(&page, None);
    assert_eq!(a.authors, vec!["Jane Doe"]);
    assert_eq!(published(&a), "2022-12-19T17:53:00+01:00");
    assert_eq!(
        a.updated.map(|d| d.to_rfc3339()).as_deref(),
        Some("2022-12-20T08:00:00+01:00")
    );
    let report = explain_html_at(page.as_bytes(), None, &Options::default()).unwrap();
    let authors = report.split("\nauthors:\n").nth(1).unwrap();
    assert!(authors.contains("* json-ld author"), "{report}");
    assert!(authors.contains("John Roe"), "{report}");
    let published = report.split("\npublished:\n").nth(1).unwrap();
    assert!(published.contains("visible dateline"), "{report}");
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

/// Body text in each of the ten languages, so the language read from the text (and so
/// the site's zone) is the page's.
fn body_in(lang: &str) -> String {
    let paragraphs: [&str; 2] = match lang {
        "en" => return BODY.to_string(),
        "de" => return BODY_DE.to_string(),
        "fr" => return BODY_FR.to_string(),
        "es" => [
            "El consejo municipal se reunió el lunes por la noche para debatir el nuevo presupuesto del próximo año, y varios miembros expresaron su preocupación por el aumento de los costes.",
            "Tras un largo debate, la propuesta fue aprobada por una estrecha mayoría, con dos abstenciones y un miembro ausente de la sesión, según explicó el alcalde a los periodistas.",
        ],
        "it" => [
            "Il consiglio comunale si è riunito lunedì sera per discutere il nuovo bilancio del prossimo anno, e diversi membri hanno espresso preoccupazione per l'aumento dei costi.",
            "Dopo un lungo dibattito, la proposta è stata approvata con una stretta maggioranza, con due astensioni e un membro assente dalla seduta, ha spiegato il sindaco ai giornalisti.",
        ],
        "pt" => [
            "A câmara municipal reuniu-se na segunda-feira à noite para discutir o novo orçamento do próximo ano, e vários membros manifestaram preocupação com o aumento dos custos.",
            "Depois de um longo debate, a proposta foi aprovada por uma maioria estreita, com duas abstenções e um membro ausente da sessão, explicou o presidente aos jornalistas.",
        ],
        "nl" => [
            "De gemeenteraad kwam maandagavond bijeen om de nieuwe begroting voor het komende jaar te bespreken, en verschillende leden uitten hun zorgen over de stijgende kosten.",
            "Na een lang debat werd het voorstel met een kleine meerderheid aangenomen, met twee onthoudingen en één lid dat niet aanwezig was, zei de burgemeester tegen journalisten.",
        ],
        "pl" => [
            "Rada miejska zebrała się w poniedziałek wieczorem, aby omówić nowy budżet na przyszły rok, a kilku członków wyraziło zaniepokojenie rosnącymi kosztami.",
            "Po długiej debacie wniosek został przyjęty niewielką większością głosów, przy dwóch głosach wstrzymujących się i jednym nieobecnym członku, powiedział burmistrz dziennikarzom.",
        ],
        "ru" => [
            "Городской совет собрался в понедельник вечером, чтобы обсудить новый бюджет на следующий год, и несколько депутатов выразили обеспокоенность ростом расходов.",
            "После долгих дебатов предложение было принято незначительным большинством голосов, при двух воздержавшихся и одном отсутствующем депутате, сообщил мэр журналистам.",
        ],
        "uk" => [
            "Міська рада зібралася в понеділок увечері, щоб обговорити новий бюджет на наступний рік, і кілька депутатів висловили занепокоєння зростанням видатків.",
            "Після тривалих дебатів пропозицію було ухвалено незначною більшістю голосів, при двох утриманнях і одному відсутньому депутатові, повідомив мер журналістам.",
        ],
        _ => unreachable!("one of the ten languages"),
    };
    paragraphs
        .iter()
        .chain(paragraphs.iter())
        .map(|p| format!("<p>{p}</p>"))
        .collect()
}

/// Captured at 17:30 UTC on Monday 19 December 2022.
fn captured() -> Options {
    Options {
        reference_time: Some(chrono::DateTime::parse_from_rfc3339("2022-12-19T17:30:00Z").unwrap()),
        ..Options::default()
    }
}

#[test]
fn relative_datelines_need_the_capture_time() {
    // (language, dateline under the headline, publication time read against the
    // capture, in the language's zone). The forms and where they come from are in the
    // unit tests of metadata::relative.
    let cases = [
        ("fr", "Publié il y a 3 heures", "2022-12-19T15:30:00+01:00"),
        ("fr", "Publié hier à 17h53", "2022-12-18T17:53:00+01:00"),
        ("en", "3 hours ago", "2022-12-19T14:30:00+00:00"),
        ("en", "Yesterday at 5:53 PM", "2022-12-18T17:53:00+00:00"),
        ("de", "vor 3 Stunden", "2022-12-19T15:30:00+01:00"),
        ("de", "gestern, 17:53 Uhr", "2022-12-18T17:53:00+01:00"),
        ("es", "Publicado hace 3 horas", "2022-12-19T15:30:00+01:00"),
        ("es", "ayer a las 17:53", "2022-12-18T17:53:00+01:00"),
        ("it", "3 ore fa", "2022-12-19T15:30:00+01:00"),
        ("it", "Ieri alle 17:53", "2022-12-18T17:53:00+01:00"),
        ("pt", "há 3 horas", "2022-12-19T14:30:00+00:00"),
        ("pt", "Ontem às 17:53", "2022-12-18T17:53:00+00:00"),
        ("nl", "3 uur geleden", "2022-12-19T15:30:00+01:00"),
        ("nl", "gisteren om 17:53", "2022-12-18T17:53:00+01:00"),
        ("pl", "3 godziny temu", "2022-12-19T15:30:00+01:00"),
        ("pl", "dzisiaj, 08:07", "2022-12-19T08:07:00+01:00"),
        ("ru", "3 часа назад", "2022-12-19T17:30:00+03:00"),
        ("ru", "Вчера, в 17:53", "2022-12-18T17:53:00+03:00"),
        ("uk", "3 години тому", "2022-12-19T16:30:00+02:00"),
        ("uk", "Вчора о 17:53", "2022-12-18T17:53:00+02:00"),
    ];
    for (lang, dateline, expected) in cases {
        let page = format!(
            r#"<html lang="{lang}"><head><title>Headline {lang}</title></head><body><article>
<h1>Headline {lang}</h1><p class="date">{dateline}</p>{}</article></body></html>"#,
            body_in(lang)
        );
        let with = extract_html(page.as_bytes(), None, &captured()).unwrap();
        assert_eq!(with.lang.as_deref(), Some(lang), "{dateline}");
        assert_eq!(published(&with), expected, "{lang}: {dateline}");
        // Without a capture time a relative dateline says nothing.
        let without = article(&page, None);
        assert_eq!(published(&without), "", "{lang}: {dateline}");
    }
}

#[test]
fn relative_datelines_come_after_absolute_ones_and_near_the_headline() {
    // An absolute dateline beats a relative one, even farther from the headline.
    let page = format!(
        r#"<html lang="fr"><head><title>Le budget adopté</title></head><body><article>
<h1>Le budget adopté</h1><p>il y a 3 heures</p><p>Par Jean Dupont</p><p>Publié le 18 déc. 2022 à 10:00</p>{BODY_FR}</article></body></html>"#
    );
    let a = extract_html(page.as_bytes(), None, &captured()).unwrap();
    assert_eq!(published(&a), "2022-12-18T10:00:00+01:00");
    let report = explain_html_at(page.as_bytes(), None, &captured()).unwrap();
    let section = report.split("\npublished:\n").nth(1).unwrap();
    let lines: Vec<&str> = section.lines().take(2).collect();
    assert!(lines[0].contains("* visible dateline "), "{report}");
    assert!(lines[1].contains("visible dateline (relative)"), "{report}");
    // A teaser's "3 hours ago" far below the story is no dateline of it.
    let teasers: String = (0..30)
        .map(|i| format!(r#"<li><a href="/story-{i}">Other story number {i} in the list</a></li>"#))
        .collect();
    let page = format!(
        r#"<html lang="en"><head><title>Budget adopted</title></head><body><article>
<h1>Budget adopted</h1>{BODY}</article><aside class="related"><ul>{teasers}</ul><p>3 hours ago</p></aside></body></html>"#
    );
    let a = extract_html(page.as_bytes(), None, &captured()).unwrap();
    assert_eq!(published(&a), "");
}

#[test]
fn extreme_capture_times_do_not_panic() {
    let page = format!(
        r#"<html lang="fr"><head><title>Le budget adopté</title></head><body><article>
<h1>Le budget adopté</h1><p>il y a 99999999 jours</p><p>hier à 17:53 ET</p><p>il y a 3 heures</p>{BODY_FR}</article></body></html>"#
    );
    for r in [
        chrono::DateTime::<chrono::FixedOffset>::MIN_UTC.fixed_offset(),
        chrono::DateTime::<chrono::FixedOffset>::MAX_UTC.fixed_offset(),
        chrono::DateTime::parse_from_rfc3339("2022-12-19T17:30:00Z").unwrap(),
    ] {
        let options = Options {
            reference_time: Some(r),
            ..Options::default()
        };
        let _ = extract_html(page.as_bytes(), Some("https://example.fr/a"), &options).unwrap();
        let _ = explain_html_at(page.as_bytes(), None, &options).unwrap();
    }
}

#[test]
fn explain_says_which_zone_and_why() {
    let zone_section = |page: &str, url: Option<&str>| -> String {
        let report = explain_html_at(page.as_bytes(), url, &Options::default()).unwrap();
        report
            .split("\nzone:\n")
            .nth(1)
            .unwrap()
            .split("\npublished:")
            .next()
            .unwrap()
            .to_string()
    };
    // The language when nothing else says.
    let page = format!(
        r#"<html lang="de"><head><title>Haushalt</title></head><body><article><h1>Haushalt</h1>
<p>19. Dezember 2022, 17.53 Uhr</p>{BODY_DE}</article></body></html>"#
    );
    let z = zone_section(&page, None);
    assert!(
        z.contains("* language de") && z.contains("Europe/Berlin"),
        "{z}"
    );
    assert!(z.contains("read in it"), "{z}");
    // The host's country first.
    let z = zone_section(&page, Some("https://www.example.at/a"));
    assert!(
        z.contains("* host domain .at") && z.contains("Europe/Vienna"),
        "{z}"
    );
    // The page's own dates, when the language says nothing: a dateline without an
    // offset is read in the page's other dates' zone.
    let page = format!(
        r#"<html lang="en"><head><title>Budget adopted</title>
<meta property="article:modified_time" content="2022-12-20T09:00:00-05:00"></head><body><article>
<h1>Budget adopted</h1><p>Dec. 19, 2022 5:53 p.m.</p>{BODY}</article></body></html>"#
    );
    let z = zone_section(&page, None);
    assert!(z.contains("* the page's dates (-05:00)"), "{z}");
    assert_eq!(
        published(&article(&page, None)),
        "2022-12-19T17:53:00-05:00"
    );
    // Nothing known: UTC, said so.
    let page = format!(
        r#"<html lang="en"><head><title>Budget adopted</title></head><body><article>
<h1>Budget adopted</h1>{BODY}</article></body></html>"#
    );
    let z = zone_section(&page, None);
    assert!(z.contains("UTC") && z.contains("read as UTC"), "{z}");
}

#[test]
fn explicit_zone_abbreviation_sets_the_offset() {
    // AP style: "Dec. 19, 2022 5:53 p.m. ET" is New York time, not UTC.
    let page = format!(
        r#"<html lang="en"><head><title>Budget adopted</title></head><body><article>
<h1>Budget adopted</h1><p>Published Dec. 19, 2022 5:53 p.m. ET</p>{BODY}</article></body></html>"#
    );
    assert_eq!(
        published(&article(&page, None)),
        "2022-12-19T17:53:00-05:00"
    );
    let summer = page.replace("Dec. 19, 2022", "July 3, 2023");
    assert_eq!(
        published(&article(&summer, None)),
        "2023-07-03T17:53:00-04:00"
    );
}

#[test]
fn section_and_keywords_from_each_source() {
    let doc = |head: &str| {
        format!(
            r#"<html lang="en"><head><title>Budget adopted</title>{head}</head><body><article>
<h1>Budget adopted</h1>{BODY}</article></body></html>"#
        )
    };
    let read = |head: &str| article(&doc(head), None);
    // OpenGraph: article:section, one article:tag per keyword.
    let a = read(
        r#"<meta property="article:section" content="Politics"><meta property="article:tag" content="Budget"><meta property="article:tag" content="City council">"#,
    );
    assert_eq!(a.section.as_deref(), Some("Politics"));
    assert_eq!(a.keywords, vec!["Budget", "City council"]);
    // <meta name=keywords> and news_keywords, comma-separated.
    let a = read(r#"<meta name="keywords" content="budget, taxes , , schools">"#);
    assert_eq!(a.keywords, vec!["budget", "taxes", "schools"]);
    let a = read(r#"<meta name="news_keywords" content="budget,taxes">"#);
    assert_eq!(a.keywords, vec!["budget", "taxes"]);
    // JSON-LD articleSection (string or array) and keywords (string or array).
    let a = read(
        r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Budget adopted","articleSection":["Local","Politics"],"keywords":["Budget","Taxes"]}</script>"#,
    );
    assert_eq!(a.section.as_deref(), Some("Local"));
    assert_eq!(a.keywords, vec!["Budget", "Taxes"]);
    let a = read(
        r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Budget adopted","articleSection":"Local","keywords":"Budget, Taxes"}</script>"#,
    );
    assert_eq!(a.section.as_deref(), Some("Local"));
    assert_eq!(a.keywords, vec!["Budget", "Taxes"]);
    // Parse.ly and Sailthru.
    let a = read(
        r#"<meta name="parsely-section" content="Metro"><meta name="parsely-tags" content="budget,schools">"#,
    );
    assert_eq!(a.section.as_deref(), Some("Metro"));
    assert_eq!(a.keywords, vec!["budget", "schools"]);
    let a = read(r#"<meta name="sailthru.tags" content="budget, city-hall">"#);
    assert_eq!(a.keywords, vec!["budget", "city-hall"]);
    // Merged, each keyword once whatever its case; the long one is dropped.
    let long = "word ".repeat(30);
    let head = format!(
        r#"<meta property="article:tag" content="Budget"><meta name="keywords" content="budget, Taxes, {long}"><meta name="sailthru.tags" content="taxes, schools">"#
    );
    let page = doc(&head);
    let a = article(&page, None);
    assert_eq!(a.keywords, vec!["Budget", "Taxes", "schools"]);
    let report = explain_html_at(page.as_bytes(), None, &Options::default()).unwrap();
    assert!(
        report.contains("\nsection:\n    (no candidate)"),
        "{report}"
    );
    assert!(report.contains("\nkeywords:\n"), "{report}");
    assert!(report.contains("* merged"), "{report}");
    // Nothing declared: no section, no keywords.
    let a = read("");
    assert_eq!(a.section, None);
    assert!(a.keywords.is_empty());
}
