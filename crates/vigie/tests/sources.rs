//! `vigie sources` and `vigie watch` as a user runs them, against a local HTTP server
//! on 127.0.0.1 (with `--allow-private-addresses`). Nothing leaves the machine.

#[path = "../../vigie-ingest/tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::{Reply, Request, Server};

fn vigie(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .arg("--data")
        .arg(data)
        .arg("--allow-private-addresses")
        .args(args)
        .output()
        .expect("vigie runs")
}

fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn json(o: Output) -> serde_json::Value {
    let o = ok(o);
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// One watch round, no delay between requests, no retries; its JSON summary.
fn watch_once(data: &Path) -> serde_json::Value {
    json(vigie(
        data,
        &[
            "watch",
            "--once",
            "--json",
            "--delay",
            "0",
            "--retries",
            "0",
        ],
    ))
}

fn status(data: &Path) -> Vec<serde_json::Value> {
    json(vigie(data, &["sources", "status", "--json"]))
        .as_array()
        .expect("an array")
        .clone()
}

const ARTICLES: [(&str, &str, &str); 3] = [
    (
        "/2024/03/05/greve-sncf",
        "Grève à la SNCF : le trafic fortement perturbé mardi",
        "Les syndicats de cheminots appellent à une grève reconductible à partir de mardi. \
         La direction prévoit un TGV sur deux et un TER sur trois dans la plupart des régions, \
         et recommande aux voyageurs de reporter leurs déplacements.",
    ),
    (
        "/2024/03/05/budget-europe",
        "Budget européen : les Vingt-Sept trouvent un accord sur l'aide à l'Ukraine",
        "Après des semaines de blocage, les chefs d'État et de gouvernement se sont entendus \
         sur une enveloppe de cinquante milliards d'euros. Le Premier ministre hongrois a \
         finalement levé son veto au terme d'une nuit de négociations à Bruxelles.",
    ),
    (
        "/2024/03/05/meteo-tempete",
        "Tempête sur la façade atlantique : vigilance orange dans six départements",
        "Météo-France annonce des rafales dépassant cent kilomètres par heure sur le littoral \
         de la Bretagne à la Gironde. Les préfectures demandent de limiter les déplacements et \
         de ne pas s'approcher des côtes pendant l'épisode.",
    ),
];

fn article_page(title: &str, text: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{title} - Le Quotidien</title>
<meta property="article:published_time" content="2024-03-05T09:30:00+01:00"></head>
<body><nav><a href="/">Accueil</a> <a href="/politique">Politique</a></nav>
<article><h1>{title}</h1><p class="author">Par Marie Lambert</p>
<p>{text}</p>
<p>{text} Selon nos informations, la situation devrait évoluer dans les prochains jours, et
de nouvelles annonces sont attendues d'ici la fin de la semaine.</p>
<p>Interrogés, plusieurs responsables ont refusé de commenter, tandis que l'opposition
dénonçait une gestion « au jour le jour » de la crise.</p></article>
<footer>© Le Quotidien 2024</footer></body></html>"#
    )
}

fn rss(base: &str, paths: &[&str]) -> String {
    let items: String = paths
        .iter()
        .map(|p| {
            format!("<item><title>{p}</title><link>{base}{p}?utm_source=rss</link><pubDate>Tue, 05 Mar 2024 10:00:00 +0100</pubDate></item>")
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Le Quotidien</title><link>{base}/</link>{items}</channel></rss>"#
    )
}

/// A news site: a feed with an ETag (304 to a matching If-None-Match), three articles,
/// a robots.txt that disallows `/private/`, and whatever `extra` answers.
fn news_site(extra: impl Fn(&Request) -> Option<Reply> + Send + Sync + 'static) -> Server {
    let base = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let b = base.clone();
    let server = Server::start(move |r| {
        if let Some(reply) = extra(r) {
            return reply;
        }
        let path = r.path.split('?').next().unwrap_or_default();
        if path == "/robots.txt" {
            return Reply::ok("User-agent: *\nDisallow: /private/\n");
        }
        if path == "/rss.xml" {
            if r.header("If-None-Match") == Some("\"v1\"") {
                return Reply::new(304);
            }
            let base = b.lock().unwrap().clone();
            let mut paths: Vec<&str> = ARTICLES.iter().map(|a| a.0).collect();
            paths.push("/private/draft");
            return Reply::ok(rss(&base, &paths))
                .header("Content-Type", "application/rss+xml")
                .header("ETag", "\"v1\"");
        }
        for (p, title, text) in ARTICLES {
            if path == p {
                return Reply::ok(article_page(title, text))
                    .header("Content-Type", "text/html; charset=utf-8");
            }
        }
        Reply::new(404)
    });
    *base.lock().unwrap() = server.url("");
    server
}

#[test]
fn add_list_update_remove() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    ok(vigie(
        d,
        &[
            "sources",
            "add",
            "https://www.example.fr/rss?utm_source=x",
            "--name",
            "Exemple",
            "--every",
            "30m",
            "--lang",
            "fr",
            "--tag",
            "france",
        ],
    ));
    ok(vigie(
        d,
        &["sources", "add", "https://feeds.example.org/news.xml"],
    ));
    // Adding again updates: same source, new interval, name kept.
    let again = ok(vigie(
        d,
        &[
            "sources",
            "add",
            "https://www.example.fr/rss",
            "--every",
            "1h",
        ],
    ));
    assert!(
        stderr(&again).contains("updated Exemple"),
        "{}",
        stderr(&again)
    );
    let list = json(vigie(d, &["sources", "list", "--json"]));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2, "{list:?}");
    assert_eq!(list[0]["name"], "Exemple");
    assert_eq!(list[0]["url"], "https://www.example.fr/rss");
    assert_eq!(list[0]["every"], "1h");
    assert_eq!(list[0]["lang"], "fr");
    assert_eq!(list[0]["tags"], serde_json::json!(["france"]));
    assert_eq!(list[1]["name"], "feeds.example.org/news.xml");
    assert_eq!(list[1]["every"], "15m");

    let bad = vigie(
        d,
        &["sources", "add", "https://a.example/", "--every", "15x"],
    );
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("\"15x\" is not an interval"),
        "{}",
        stderr(&bad)
    );
    let missing = vigie(d, &["sources", "remove", "Nothing"]);
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("Nothing: no such source"),
        "{}",
        stderr(&missing)
    );

    // By name, and by address in another spelling.
    ok(vigie(d, &["sources", "remove", "Exemple"]));
    ok(vigie(
        d,
        &["sources", "remove", "HTTPS://FEEDS.example.org/news.xml"],
    ));
    let list = json(vigie(d, &["sources", "list", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 0);
}

#[test]
fn import_toml_and_opml() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("inbox")).unwrap();
    let toml = dir.path().join("sources.toml");
    std::fs::write(
        &toml,
        r#"
[[source]]
name = "Le Monde"
url = "https://www.lemonde.fr/rss/une.xml"
every = "15m"
lang = "fr"
tags = ["france"]

[[source]]
name = "Inbox"
path = "inbox"
every = "1m"
enabled = false
"#,
    )
    .unwrap();
    ok(vigie(d, &["sources", "import", toml.to_str().unwrap()]));
    // Importing again updates, never duplicates.
    ok(vigie(d, &["sources", "import", toml.to_str().unwrap()]));
    let opml = dir.path().join("subs.xml");
    std::fs::write(
        &opml,
        r#"<?xml version="1.0"?><opml version="2.0"><head><title>Mes abonnements</title></head><body>
<outline text="Monde"><outline type="rss" text="BBC News" xmlUrl="https://feeds.bbci.co.uk/news/rss.xml"/>
<outline type="rss" text="Le Monde" title="Le Monde" xmlUrl="https://www.lemonde.fr/rss/une.xml"/></outline>
</body></opml>"#,
    )
    .unwrap();
    let o = ok(vigie(d, &["sources", "import", opml.to_str().unwrap()]));
    assert!(
        stderr(&o).contains("1 sources added, 1 updated"),
        "{}",
        stderr(&o)
    );
    let list = json(vigie(d, &["sources", "list", "--json"]));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3, "{list:?}");
    let inbox = list.iter().find(|s| s["name"] == "Inbox").unwrap();
    assert_eq!(inbox["enabled"], false);
    let path = inbox["path"].as_str().unwrap();
    assert!(
        Path::new(path).is_absolute() && path.ends_with("inbox"),
        "{path}"
    );
    let bbc = list.iter().find(|s| s["name"] == "BBC News").unwrap();
    assert_eq!(bbc["url"], "https://feeds.bbci.co.uk/news/rss.xml");
    assert_eq!(bbc["tags"], serde_json::json!(["Monde"]));

    // A bad file: named, with the line.
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[source]]\nurl = \"https://a.example/rss\"\nevery = 15m\n",
    )
    .unwrap();
    let o = vigie(d, &["sources", "import", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains(&format!("{}:3:", bad.display())), "{e}");
    let bad_every = dir.path().join("bad2.toml");
    std::fs::write(
        &bad_every,
        "[[source]]\nurl = \"https://a.example/rss\"\n\n[[source]]\nurl = \"https://b.example/rss\"\nevery = \"15x\"\n",
    )
    .unwrap();
    let o = vigie(d, &["sources", "import", bad_every.to_str().unwrap()]);
    let e = stderr(&o);
    assert!(
        e.contains(&format!("{}:6: every:", bad_every.display())),
        "{e}"
    );
}

#[test]
fn watch_stores_new_articles_then_asks_conditionally() {
    let site = news_site(|_| None);
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    ok(vigie(
        d,
        &[
            "sources",
            "add",
            &site.url("/rss.xml"),
            "--name",
            "Quotidien",
        ],
    ));

    let first = watch_once(d);
    assert_eq!(first["stored"], 3, "{first}");
    assert_eq!(first["failed"], 0, "{first}");
    assert_eq!(first["sources"][0]["listed"], 4, "{first}");
    assert_eq!(first["disallowed"], 1, "{first}");
    // robots.txt disallows /private/: never requested.
    assert_eq!(site.count("/private/draft"), 0);
    for (p, _, _) in ARTICLES {
        assert_eq!(
            site.count(p) + site.count(&format!("{p}?utm_source=rss")),
            1,
            "{p}"
        );
    }
    let st = status(d);
    assert_eq!(st[0]["kind"], "an RSS 2.0 feed");
    assert_eq!(st[0]["consecutive_failures"], 0);
    assert!(st[0]["last_success"].is_string());
    assert!(st[0]["last_error"].is_null());
    assert_eq!(st[0]["articles_total"], 3);
    let days = st[0]["articles_per_day"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    assert_eq!(days[6]["articles"], 3, "{days:?}");

    let requests_before = site.requests().len();
    let second = watch_once(d);
    assert_eq!(second["not_modified"], 1, "{second}");
    assert_eq!(second["pages"], 0, "{second}");
    let new: Vec<Request> = site.requests()[requests_before..].to_vec();
    let feed: Vec<&Request> = new.iter().filter(|r| r.path == "/rss.xml").collect();
    assert_eq!(feed.len(), 1, "{new:?}");
    assert_eq!(feed[0].header("If-None-Match"), Some("\"v1\""));
    assert!(
        new.iter()
            .all(|r| r.path == "/rss.xml" || r.path == "/robots.txt"),
        "articles fetched again: {new:?}"
    );

    // The articles are searchable.
    let found = json(vigie(d, &["search", "--json", "tempête"]));
    assert_eq!(found["total"], 1, "{found}");
}

#[test]
fn a_failing_source_is_recorded_and_the_others_still_poll() {
    let site = news_site(|r| match r.path.as_str() {
        "/broken.xml" => Some(Reply::new(500)),
        "/malformed.xml" => Some(
            Reply::ok("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>x")
                .header("Content-Type", "application/rss+xml"),
        ),
        _ => None,
    });
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    ok(vigie(
        d,
        &[
            "sources",
            "add",
            &site.url("/broken.xml"),
            "--name",
            "Broken",
        ],
    ));
    ok(vigie(
        d,
        &[
            "sources",
            "add",
            &site.url("/malformed.xml"),
            "--name",
            "Malformed",
        ],
    ));
    ok(vigie(
        d,
        &["sources", "add", &site.url("/rss.xml"), "--name", "Good"],
    ));
    let round = watch_once(d);
    assert_eq!(round["failed_sources"], 2, "{round}");
    assert_eq!(round["stored"], 3, "{round}");
    let st = status(d);
    let by = |n: &str| st.iter().find(|s| s["name"] == n).unwrap().clone();
    let broken = by("Broken");
    assert_eq!(broken["consecutive_failures"], 1);
    let e = broken["last_error"].as_str().unwrap();
    assert!(e.contains("/broken.xml") && e.contains("500"), "{e}");
    assert!(broken["last_success"].is_null());
    let malformed = by("Malformed");
    let e = malformed["last_error"].as_str().unwrap();
    assert!(e.contains("/malformed.xml"), "{e}");
    assert_eq!(by("Good")["articles_total"], 3);
    assert!(by("Good")["last_error"].is_null());

    // Failures in a row add up.
    watch_once(d);
    assert_eq!(
        status(d).iter().find(|s| s["name"] == "Broken").unwrap()["consecutive_failures"],
        2
    );
}

#[test]
fn a_directory_source_ingests_new_and_changed_files() {
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    let inbox = tempfile::tempdir().unwrap();
    for (i, (_, title, text)) in ARTICLES.iter().take(2).enumerate() {
        std::fs::write(
            inbox.path().join(format!("{i}.html")),
            article_page(title, text),
        )
        .unwrap();
    }
    ok(vigie(
        d,
        &["sources", "add", inbox.path().to_str().unwrap()],
    ));
    let first = watch_once(d);
    assert_eq!(first["stored"], 2, "{first}");
    let again = watch_once(d);
    assert_eq!(again["pages"], 0, "{again}");
    let (_, title, text) = ARTICLES[2];
    std::fs::write(inbox.path().join("2.html"), article_page(title, text)).unwrap();
    let third = watch_once(d);
    assert_eq!(third["pages"], 1, "{third}");
    assert_eq!(third["stored"], 1, "{third}");
    assert_eq!(status(d)[0]["articles_total"], 3);
}

#[test]
fn watch_without_sources_says_how_to_add_them() {
    let data = tempfile::tempdir().unwrap();
    let o = ok(vigie(data.path(), &["watch", "--once"]));
    assert!(stderr(&o).contains("vigie sources add"), "{}", stderr(&o));
}

#[test]
fn the_example_sources_file_imports() {
    let data = tempfile::tempdir().unwrap();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sources.toml");
    ok(vigie(
        data.path(),
        &["sources", "import", file.to_str().unwrap()],
    ));
    let list = json(vigie(data.path(), &["sources", "list", "--json"]));
    let list = list.as_array().unwrap();
    assert!(list.len() >= 14, "{list:?}");
    for lang in ["fr", "en", "de", "es"] {
        assert!(list.iter().any(|s| s["lang"] == lang), "no {lang} source");
    }
    assert!(list
        .iter()
        .any(|s| s["url"] == "https://www.lemonde.fr/rss/une.xml"));
}

#[test]
fn ctrl_c_finishes_the_page_in_flight_and_the_next_round_resumes() {
    let site = news_site(|r| {
        // Slow articles: the interrupt arrives while the first is in flight.
        ARTICLES
            .iter()
            .find(|a| r.path.starts_with(a.0))
            .map(|(_, title, text)| {
                Reply::ok(article_page(title, text))
                    .header("Content-Type", "text/html; charset=utf-8")
                    .delay(std::time::Duration::from_millis(400))
            })
    });
    let data = tempfile::tempdir().unwrap();
    let d = data.path();
    ok(vigie(d, &["sources", "add", &site.url("/rss.xml")]));
    let child = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .arg("--data")
        .arg(d)
        .args([
            "--allow-private-addresses",
            "watch",
            "--delay",
            "0",
            "--concurrency",
            "1",
            "--retries",
            "0",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !site
        .requests()
        .iter()
        .any(|r| ARTICLES.iter().any(|a| r.path.starts_with(a.0)))
    {
        assert!(started.elapsed().as_secs() < 10, "no article was requested");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SAFETY: sends SIGINT to the child this test started.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("(interrupted)") && err.contains("stopped"),
        "{err}"
    );
    let articles_requested = |site: &Server| {
        site.requests()
            .iter()
            .filter(|r| ARTICLES.iter().any(|a| r.path.starts_with(a.0)))
            .count()
    };
    assert_eq!(articles_requested(&site), 1);
    assert_eq!(status(d)[0]["articles_total"], 1);
    // The validators were not saved: the next round reads the feed again and takes
    // the pages left.
    let feed_before = site.count("/rss.xml");
    let next = watch_once(d);
    assert_eq!(next["stored"], 2, "{next}");
    let last_feed = site
        .requests()
        .into_iter()
        .filter(|r| r.path == "/rss.xml")
        .nth(feed_before)
        .unwrap();
    assert_eq!(last_feed.header("If-None-Match"), None);
}
