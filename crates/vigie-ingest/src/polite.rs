//! A polite fetcher: robots.txt obeyed, one request at a time per host, a pause
//! between requests to the same host, and a cap on requests in flight overall.
//!
//! [`PoliteFetcher`] wraps a [`Fetcher`] and is shared by worker threads. Before a
//! request to a host, a worker waits until no other request to that host is in flight
//! and the host's delay has passed since the last one *ended* (the delay is
//! [`PoliteConfig::min_delay`], or the site's robots.txt `Crawl-delay` if longer, up to
//! [`PoliteConfig::max_crawl_delay`]); then for one of the
//! [`PoliteConfig::max_in_flight`] global slots. Workers on other hosts are not held
//! up. The first request to a site fetches its robots.txt (through the same gate, so it
//! counts as a request to the host), and a URL the rules disallow is refused with
//! [`FetchError::DisallowedByRobots`] without being requested.
//!
//! A "host" is a host name and port (`example.org:443`): the unit a server's capacity
//! and a robots.txt cover. Retries happen inside the gate: a host that answers 503 is
//! not sent another request while its backoff runs (the worker keeps its global slot
//! meanwhile). Redirects to another host are
//! followed inside the first host's gate (without that host's robots.txt): waiting for
//! a second gate while holding one could deadlock two workers.
//!
//! With [`PoliteConfig::trace`] on, the start and end of every request are recorded
//! per host, so a test or a benchmark can check that no host ever saw two requests at
//! once, nor a gap shorter than its delay.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use url::{Position, Url};

use crate::fetch::check_url;
use crate::robots::{RobotsCache, RobotsConfig, RobotsSource, SiteRobots};
use crate::{FetchError, FetchOutcome, Fetcher, Validators};

/// How polite the fetcher is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoliteConfig {
    /// Per-host gates and delays (default true). Off, requests to one host may overlap
    /// and follow each other at once: for benchmarks and tests, never for the open web.
    pub per_host: bool,
    /// The least time between the end of a request to a host and the start of the next
    /// (default 1 s).
    pub min_delay: Duration,
    /// The longest robots.txt `Crawl-delay` honoured (default 60 s): a site asking for
    /// an hour between requests gets a minute.
    pub max_crawl_delay: Duration,
    /// Requests in flight at once, all hosts together (default 16; 0 counts as 1).
    pub max_in_flight: usize,
    /// Obey robots.txt (default true).
    pub respect_robots: bool,
    /// How robots.txt files are matched and kept.
    pub robots: RobotsConfig,
    /// Record the start and end of every request (default false); see
    /// [`PoliteFetcher::trace`].
    pub trace: bool,
}

impl Default for PoliteConfig {
    fn default() -> Self {
        PoliteConfig {
            per_host: true,
            min_delay: Duration::from_secs(1),
            max_crawl_delay: Duration::from_secs(60),
            max_in_flight: 16,
            respect_robots: true,
            robots: RobotsConfig::default(),
            trace: false,
        }
    }
}

/// One request as the trace saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSpan {
    /// The URL asked for (robots.txt included).
    pub url: String,
    /// When the request was let through the gates.
    pub start: Instant,
    /// When it returned (redirects, retries and body included).
    pub end: Instant,
}

/// A [`Fetcher`] with robots.txt, per-host gates and a global limit; see the module
/// documentation. `Send + Sync`: share one between worker threads.
#[derive(Debug)]
pub struct PoliteFetcher {
    fetcher: Fetcher,
    config: PoliteConfig,
    robots: RobotsCache,
    hosts: Mutex<HashMap<String, Arc<HostGate>>>,
    slots: Slots,
    trace: Mutex<HashMap<String, Vec<RequestSpan>>>,
}

/// Host gates kept before idle ones are swept.
const SWEEP_AT: usize = 10_000;

impl PoliteFetcher {
    /// A polite fetcher over `fetcher`.
    pub fn new(fetcher: Fetcher, config: PoliteConfig) -> PoliteFetcher {
        PoliteFetcher {
            fetcher,
            robots: RobotsCache::new(config.robots.clone()),
            slots: Slots::new(config.max_in_flight.max(1)),
            hosts: Mutex::new(HashMap::new()),
            trace: Mutex::new(HashMap::new()),
            config,
        }
    }

    /// The configuration in force.
    pub fn config(&self) -> &PoliteConfig {
        &self.config
    }

    /// The fetcher underneath.
    pub fn fetcher(&self) -> &Fetcher {
        &self.fetcher
    }

    /// The robots.txt cache.
    pub fn robots(&self) -> &RobotsCache {
        &self.robots
    }

    /// GETs `url` politely: [`Fetcher::fetch`] once robots.txt allows it and the gates
    /// open. Blocks while waiting for its turn.
    pub fn fetch(&self, url: &str, validators: &Validators) -> Result<FetchOutcome, FetchError> {
        let parsed =
            check_url(url, self.fetcher.config().allow_private_addresses).map_err(|reason| {
                FetchError::Refused {
                    url: url.to_string(),
                    reason,
                }
            })?;
        let host = host_key(&parsed);
        let robots_url = RobotsCache::robots_url(&parsed).unwrap_or_default();
        if self.config.respect_robots {
            let site = match self.robots.get(&robots_url) {
                Some(site) => site,
                None => self.load_robots(&host, &robots_url),
            };
            if !site
                .rules
                .is_allowed(&parsed[Position::BeforePath..Position::AfterQuery])
            {
                if let RobotsSource::Unreachable(reason) = &site.source {
                    return Err(FetchError::RobotsUnreachable {
                        url: url.to_string(),
                        robots_url,
                        reason: reason.clone(),
                    });
                }
                return Err(FetchError::DisallowedByRobots {
                    url: url.to_string(),
                    robots_url,
                });
            }
        }
        let mut turn = self.wait_turn(&host);
        self.run(&mut turn, url, || self.fetcher.fetch(url, validators))
    }

    /// The requests recorded so far, per host (`example.org:443`), in the order they
    /// started; empty unless [`PoliteConfig::trace`] is on.
    pub fn trace(&self) -> HashMap<String, Vec<RequestSpan>> {
        let mut trace = lock(&self.trace).clone();
        for spans in trace.values_mut() {
            spans.sort_by_key(|s| s.start);
        }
        trace
    }

    /// Fetches a site's robots.txt in the host's turn, unless another worker did while
    /// this one waited.
    fn load_robots(&self, host: &str, robots_url: &str) -> SiteRobots {
        let mut turn = self.wait_turn(host);
        if let Some(site) = self.robots.get(robots_url) {
            return site;
        }
        let site = self.run(&mut turn, robots_url, || {
            self.robots.load(&self.fetcher, robots_url)
        });
        if let Some(gate) = &turn.gate {
            lock(&gate.state).crawl_delay = site.rules.crawl_delay();
        }
        site
    }

    /// Waits for the host's gate (when per-host politeness is on), then a global slot.
    fn wait_turn(&self, host: &str) -> Turn<'_> {
        let gate = self.config.per_host.then(|| {
            let gate = self.gate(host);
            gate.enter();
            gate
        });
        // Taken second: a worker holding a slot never waits for a gate.
        self.slots.acquire();
        Turn {
            owner: self,
            gate,
            ended: None,
        }
    }

    /// Runs a request in a turn, recording its span.
    fn run<T>(&self, turn: &mut Turn<'_>, url: &str, request: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = request();
        let end = Instant::now();
        turn.ended = Some(end);
        if self.config.trace {
            let key = Url::parse(url).map(|u| host_key(&u)).unwrap_or_default();
            lock(&self.trace).entry(key).or_default().push(RequestSpan {
                url: url.to_string(),
                start,
                end,
            });
        }
        out
    }

    fn gate(&self, host: &str) -> Arc<HostGate> {
        let mut hosts = lock(&self.hosts);
        if hosts.len() >= SWEEP_AT {
            let now = Instant::now();
            hosts.retain(|_, g| Arc::strong_count(g) > 1 || !lock(&g.state).is_idle(now));
        }
        hosts.entry(host.to_string()).or_default().clone()
    }

    /// The pause after a request to a host whose robots.txt asks for `crawl_delay`.
    fn delay(&self, crawl_delay: Option<Duration>) -> Duration {
        let asked = crawl_delay
            .unwrap_or_default()
            .min(self.config.max_crawl_delay);
        self.config.min_delay.max(asked)
    }
}

/// `host:port`, the unit of politeness.
fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A worker's right to send one request: the host's gate (if per-host politeness is
/// on) and a global slot, both given back on drop, the gate with the time the request
/// ended (if one was sent) so the next one waits the host's delay from there.
struct Turn<'a> {
    owner: &'a PoliteFetcher,
    gate: Option<Arc<HostGate>>,
    ended: Option<Instant>,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.owner.slots.release();
        if let Some(gate) = &self.gate {
            gate.leave(self.ended, |crawl_delay| self.owner.delay(crawl_delay));
        }
    }
}

/// One host's gate: busy while a request is in flight, closed until `next_start`.
#[derive(Debug, Default)]
struct HostGate {
    state: Mutex<GateState>,
    ready: Condvar,
}

#[derive(Debug, Default)]
struct GateState {
    busy: bool,
    next_start: Option<Instant>,
    crawl_delay: Option<Duration>,
}

impl GateState {
    fn is_idle(&self, now: Instant) -> bool {
        !self.busy && self.next_start.is_none_or(|t| t <= now)
    }
}

impl HostGate {
    /// Waits until the host is free and its delay has passed, and takes it.
    fn enter(&self) {
        let mut state = lock(&self.state);
        loop {
            if !state.busy {
                let now = Instant::now();
                match state.next_start {
                    Some(t) if t > now => {
                        state = self
                            .ready
                            .wait_timeout(state, t - now)
                            .unwrap_or_else(PoisonError::into_inner)
                            .0;
                    }
                    _ => {
                        state.busy = true;
                        return;
                    }
                }
            } else {
                state = self
                    .ready
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        }
    }

    /// Frees the host; if a request was sent, the next may start `delay` after it ended.
    fn leave(&self, ended: Option<Instant>, delay: impl FnOnce(Option<Duration>) -> Duration) {
        let mut state = lock(&self.state);
        state.busy = false;
        if let Some(end) = ended {
            state.next_start = Some(end + delay(state.crawl_delay));
        }
        drop(state);
        self.ready.notify_all();
    }
}

/// A counting semaphore: the global limit on requests in flight.
#[derive(Debug)]
struct Slots {
    free: Mutex<usize>,
    ready: Condvar,
}

impl Slots {
    fn new(n: usize) -> Slots {
        Slots {
            free: Mutex::new(n),
            ready: Condvar::new(),
        }
    }

    fn acquire(&self) {
        let mut free = lock(&self.free);
        while *free == 0 {
            free = self
                .ready
                .wait(free)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *free -= 1;
    }

    fn release(&self) {
        *lock(&self.free) += 1;
        self.ready.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use std::thread;

    use super::*;
    use crate::FetchConfig;

    #[test]
    fn host_keys() {
        let k = |s: &str| host_key(&Url::parse(s).unwrap());
        assert_eq!(k("https://Example.org/a"), "example.org:443");
        assert_eq!(k("http://example.org/a"), "example.org:80");
        assert_eq!(k("http://127.0.0.1:8080/"), "127.0.0.1:8080");
    }

    #[test]
    fn delay_is_the_larger_and_capped() {
        let p = PoliteFetcher::new(
            Fetcher::new(FetchConfig::default()),
            PoliteConfig {
                min_delay: Duration::from_secs(1),
                max_crawl_delay: Duration::from_secs(10),
                ..PoliteConfig::default()
            },
        );
        assert_eq!(p.delay(None), Duration::from_secs(1));
        assert_eq!(
            p.delay(Some(Duration::from_millis(10))),
            Duration::from_secs(1)
        );
        assert_eq!(
            p.delay(Some(Duration::from_secs(5))),
            Duration::from_secs(5)
        );
        assert_eq!(
            p.delay(Some(Duration::from_secs(500))),
            Duration::from_secs(10)
        );
    }

    #[test]
    fn gate_serialises_and_spaces() {
        let gate = Arc::new(HostGate::default());
        let log = Arc::new(Mutex::new(Vec::new()));
        let delay = Duration::from_millis(20);
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let (gate, log) = (gate.clone(), log.clone());
                thread::spawn(move || {
                    for _ in 0..3 {
                        gate.enter();
                        let start = Instant::now();
                        thread::sleep(Duration::from_millis(2));
                        let end = Instant::now();
                        lock(&log).push((start, end));
                        gate.leave(Some(end), |_| delay);
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        let mut spans = lock(&log).clone();
        spans.sort();
        assert_eq!(spans.len(), 12);
        for w in spans.windows(2) {
            assert!(w[1].0 >= w[0].1 + delay, "{:?}", w[1].0 - w[0].1);
        }
    }

    #[test]
    fn slots_cap_concurrency() {
        let slots = Arc::new(Slots::new(2));
        let in_flight = Arc::new(Mutex::new((0usize, 0usize)));
        let workers: Vec<_> = (0..6)
            .map(|_| {
                let (slots, in_flight) = (slots.clone(), in_flight.clone());
                thread::spawn(move || {
                    slots.acquire();
                    {
                        let mut f = lock(&in_flight);
                        f.0 += 1;
                        f.1 = f.1.max(f.0);
                    }
                    thread::sleep(Duration::from_millis(5));
                    lock(&in_flight).0 -= 1;
                    slots.release();
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        assert_eq!(lock(&in_flight).1, 2);
    }
}
