//! Figures, medians over repetitions, ratios, and their JSON and table forms.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use hdrhistogram::Histogram;
use serde_json::{Value, json};

use crate::Args;
use crate::clients::Kind;
use crate::server::Server;

/// One timed measurement.
pub(crate) struct Sample {
    pub(crate) scenario: &'static str,
    pub(crate) phase: &'static str,
    pub(crate) client: Kind,
    pub(crate) ops: u64,
    pub(crate) bytes: u64,
    pub(crate) elapsed: Duration,
    /// This process's CPU (user + sys) during the measurement.
    pub(crate) cpu: Duration,
    /// The user-mode part of `cpu` (the rest is kernel time: syscalls and loopback TCP).
    pub(crate) user: Duration,
    /// The server process's CPU during the measurement, when it is a separate process.
    pub(crate) server_cpu: Option<Duration>,
    /// Per-operation latency in µs.
    pub(crate) latency: Option<Histogram<u64>>,
}

impl Sample {
    fn secs(&self) -> f64 {
        self.elapsed.as_secs_f64().max(1e-9)
    }
    fn ops_per_s(&self) -> f64 {
        self.ops as f64 / self.secs()
    }
    fn mib_per_s(&self) -> f64 {
        self.bytes as f64 / (1024.0 * 1024.0) / self.secs()
    }
    fn cpu_us_per_op(&self) -> f64 {
        self.cpu.as_secs_f64() * 1e6 / self.ops.max(1) as f64
    }
    fn server_cpu_us_per_op(&self) -> Option<f64> {
        self.server_cpu
            .map(|c| c.as_secs_f64() * 1e6 / self.ops.max(1) as f64)
    }
    fn json(&self) -> Value {
        let mut v = json!({
            "scenario": self.scenario,
            "phase": self.phase,
            "client": self.client.name(),
            "ops": self.ops,
            "bytes": self.bytes,
            "seconds": round(self.secs(), 4),
            "ops_per_s": round(self.ops_per_s(), 1),
            "mib_per_s": round(self.mib_per_s(), 1),
            "client_cpu_us_per_op": round(self.cpu_us_per_op(), 2),
            "client_user_cpu_us_per_op": round(self.user.as_secs_f64() * 1e6 / self.ops.max(1) as f64, 2),
            "client_cpu_cores": round(self.cpu.as_secs_f64() / self.secs(), 3),
            "client_cpu_ms_per_gib": round(
                self.cpu.as_secs_f64() * 1e3 / (self.bytes.max(1) as f64 / (1u64 << 30) as f64),
                1
            ),
        });
        if let Some(s) = self.server_cpu_us_per_op() {
            v["server_cpu_us_per_op"] = json!(round(s, 2));
            v["server_cpu_cores"] = json!(round(
                self.server_cpu.unwrap_or_default().as_secs_f64() / self.secs(),
                3
            ));
        }
        if let Some(h) = &self.latency {
            v["p50_us"] = json!(h.value_at_quantile(0.50));
            v["p99_us"] = json!(h.value_at_quantile(0.99));
            v["max_us"] = json!(h.max());
        }
        v
    }
}

/// Figure by figure, the median of `group` (not empty).
fn median_sample(group: &[&Sample]) -> Sample {
    fn median<T: Ord + Copy>(mut values: Vec<T>) -> Option<T> {
        values.sort_unstable();
        values.get(values.len() / 2).copied()
    }
    let figure = |f: fn(&Sample) -> Duration| median(group.iter().map(|s| f(s)).collect());
    let by_time = {
        let mut sorted = group.to_vec();
        sorted.sort_by_key(|s| s.elapsed);
        sorted[sorted.len() / 2]
    };
    Sample {
        elapsed: by_time.elapsed,
        cpu: figure(|s| s.cpu).unwrap_or_default(),
        user: figure(|s| s.user).unwrap_or_default(),
        // Over the samples that have it: a sample without it is not a zero.
        server_cpu: median(group.iter().filter_map(|s| s.server_cpu).collect()),
        latency: by_time.latency.clone(),
        ..*by_time
    }
}

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

pub(crate) struct Report {
    config: Value,
    machine: Value,
    server: String,
    samples: Vec<Sample>,
    peak_rss_kib: u64,
    server_rss_kib: Option<(u64, u64)>,
}

fn machine() -> Value {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kib: u64 = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    json!({
        "nproc": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "cpu_model": model,
        "memory_gib": round(mem_kib as f64 / 1024.0 / 1024.0, 1),
        "loadavg_at_start": load.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    })
}

impl Report {
    pub(crate) fn new(args: &Args, server: &Server) -> Report {
        Report {
            config: json!({
                "count": args.count,
                "object_kib": args.object_kib,
                "concurrency": args.concurrency,
                "large_mib": args.large_mib,
                "part_mib": args.part_mib,
                "part_concurrency": args.part_concurrency,
                "batch_objects": args.batch_objects,
                "batch_object_mib": args.batch_object_mib,
                "objects_in_flight": args.objects_in_flight,
                "repeat": args.repeat,
                "scheme": if server.tls { "https (rustls, ring; ours and raw share https_connector's configuration)" } else { "http" },
                "crc64_checks": "on (oss-client default: PUT compares the returned CRC-64, GET verifies full bodies)",
                "raw_signing": if server.null { "none (null server)" } else { "V4 header; small objects: computed before timing" },
                "opendal_signing": "V1 (its default)",
            }),
            machine: machine(),
            server: server.description.clone(),
            samples: Vec::new(),
            peak_rss_kib: 0,
            server_rss_kib: None,
        }
    }

    pub(crate) fn push(&mut self, sample: Sample) {
        self.samples.push(sample);
    }

    pub(crate) fn finish(&mut self, server: &Server) {
        self.peak_rss_kib = oss_bench::usage::self_usage().max_rss_kib;
        self.server_rss_kib = server.pid.and_then(oss_bench::usage::process_rss_kib);
    }

    /// The median of every (scenario, phase, client): each figure (time, CPU, user CPU, server
    /// CPU) is its own median over the samples, so that one sample's noisy CPU does not ride
    /// along with a median time; the latency histogram is that of the median-time sample.
    fn medians(&self) -> BTreeMap<(&'static str, &'static str, Kind), Sample> {
        let mut groups: BTreeMap<(&'static str, &'static str, Kind), Vec<&Sample>> =
            BTreeMap::new();
        for s in &self.samples {
            groups
                .entry((s.scenario, s.phase, s.client))
                .or_default()
                .push(s);
        }
        groups
            .into_iter()
            .map(|(k, group)| (k, median_sample(&group)))
            .collect()
    }

    /// (scenario, phase) in the order first measured.
    fn phases(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        for s in &self.samples {
            if !out.contains(&(s.scenario, s.phase)) {
                out.push((s.scenario, s.phase));
            }
        }
        out
    }

    fn ratios(&self) -> Vec<Value> {
        let medians = self.medians();
        let mut out = Vec::new();
        for (scenario, phase) in self.phases() {
            let get = |k: Kind| medians.get(&(scenario, phase, k));
            let (ours, raw, od) = (get(Kind::Ours), get(Kind::Raw), get(Kind::Opendal));
            let mut v = json!({"scenario": scenario, "phase": phase});
            if let (Some(o), Some(r)) = (ours, raw) {
                v["ours_vs_raw_throughput"] = json!(round(r.secs() / o.secs(), 3));
                v["ours_vs_raw_cpu_per_op"] =
                    json!(round(o.cpu_us_per_op() / r.cpu_us_per_op().max(1e-9), 3));
            }
            if let (Some(o), Some(d)) = (ours, od) {
                v["ours_vs_opendal_throughput"] = json!(round(d.secs() / o.secs(), 3));
                v["ours_vs_opendal_cpu_per_op"] =
                    json!(round(o.cpu_us_per_op() / d.cpu_us_per_op().max(1e-9), 3));
            }
            if let (Some(d), Some(r)) = (od, raw) {
                v["opendal_vs_raw_throughput"] = json!(round(r.secs() / d.secs(), 3));
            }
            if let (Some(s), Some(o)) = (get(Kind::ObjectStore), ours) {
                v["object_store_vs_ours_throughput"] = json!(round(o.secs() / s.secs(), 3));
                v["object_store_vs_ours_cpu_per_op"] =
                    json!(round(s.cpu_us_per_op() / o.cpu_us_per_op().max(1e-9), 3));
            }
            out.push(v);
        }
        out
    }

    pub(crate) fn to_json(&self) -> String {
        let medians = self.medians();
        let results: Vec<Value> = self
            .phases()
            .into_iter()
            .flat_map(|(sc, ph)| Kind::ALL.into_iter().map(move |k| (sc, ph, k)))
            .filter_map(|k| medians.get(&k).map(|s| s.json()))
            .collect();
        let all: Vec<Value> = self.samples.iter().map(Sample::json).collect();
        let mut v = json!({
            "machine": self.machine,
            "server": self.server,
            "config": self.config,
            "results": results,
            "ratios": self.ratios(),
            "all_samples": all,
            "client_peak_rss_kib": self.peak_rss_kib,
            "client_peak_rss_note": "getrusage(RUSAGE_SELF).ru_maxrss of this process over the whole run (all scenarios and clients run so far)",
        });
        if let Some((rss, hwm)) = self.server_rss_kib {
            v["server_rss_kib"] = json!(rss);
            v["server_peak_rss_kib"] = json!(hwm);
        }
        v.to_string()
    }

    pub(crate) fn to_table(&self) -> String {
        let medians = self.medians();
        let mut out = String::new();
        let m = &self.machine;
        let _ = writeln!(
            out,
            "\nmachine: {} x {} | {} GiB | load at start {}",
            m["nproc"],
            m["cpu_model"].as_str().unwrap_or(""),
            m["memory_gib"],
            m["loadavg_at_start"].as_str().unwrap_or("")
        );
        let _ = writeln!(out, "server: {}\n", self.server);
        let _ = writeln!(
            out,
            "{:<8} {:<17} {:<11} {:>10} {:>9} {:>9} {:>9} {:>10} {:>10} {:>10}",
            "scenario",
            "phase",
            "client",
            "ops/s",
            "MiB/s",
            "p50 µs",
            "p99 µs",
            "cpu µs/op",
            "usr µs/op",
            "srv µs/op"
        );
        for (sc, ph) in self.phases() {
            for k in Kind::ALL {
                let Some(s) = medians.get(&(sc, ph, k)) else {
                    continue;
                };
                let (p50, p99) =
                    s.latency
                        .as_ref()
                        .map_or((String::from("-"), String::from("-")), |h| {
                            (
                                h.value_at_quantile(0.5).to_string(),
                                h.value_at_quantile(0.99).to_string(),
                            )
                        });
                let _ = writeln!(
                    out,
                    "{:<8} {:<17} {:<11} {:>10.1} {:>9.1} {:>9} {:>9} {:>10.1} {:>10.1} {:>10}",
                    sc,
                    ph,
                    k.name(),
                    s.ops_per_s(),
                    s.mib_per_s(),
                    p50,
                    p99,
                    s.cpu_us_per_op(),
                    s.user.as_secs_f64() * 1e6 / s.ops.max(1) as f64,
                    s.server_cpu_us_per_op()
                        .map_or("-".into(), |v| format!("{v:.1}")),
                );
            }
        }
        let _ = writeln!(
            out,
            "\nratios (throughput: >1 means oss-client is faster; cpu: <1 means it uses less):"
        );
        for r in self.ratios() {
            let f = |key: &str| {
                r.get(key)
                    .and_then(Value::as_f64)
                    .map_or("-".into(), |v| format!("{v:.2}"))
            };
            let _ = writeln!(
                out,
                "{:<8} {:<17} ours/raw {:>5}  cpu ours/raw {:>5}  ours/opendal {:>5}  opendal/raw {:>5}  object-store/ours {:>5}",
                r["scenario"].as_str().unwrap_or(""),
                r["phase"].as_str().unwrap_or(""),
                f("ours_vs_raw_throughput"),
                f("ours_vs_raw_cpu_per_op"),
                f("ours_vs_opendal_throughput"),
                f("opendal_vs_raw_throughput"),
                f("object_store_vs_ours_throughput"),
            );
        }
        let _ = writeln!(
            out,
            "\nclient peak RSS (this process, whole run): {:.1} MiB",
            self.peak_rss_kib as f64 / 1024.0
        );
        if let Some((rss, hwm)) = self.server_rss_kib {
            let _ = writeln!(
                out,
                "server RSS now / peak: {:.1} / {:.1} MiB",
                rss as f64 / 1024.0,
                hwm as f64 / 1024.0
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(elapsed_ms: u64, cpu_ms: u64, user_ms: u64, server_ms: u64) -> Sample {
        Sample {
            scenario: "large",
            phase: "download-single",
            client: Kind::Ours,
            ops: 1,
            bytes: 1 << 30,
            elapsed: Duration::from_millis(elapsed_ms),
            cpu: Duration::from_millis(cpu_ms),
            user: Duration::from_millis(user_ms),
            server_cpu: Some(Duration::from_millis(server_ms)),
            latency: None,
        }
    }

    #[test]
    fn each_figure_is_its_own_median() {
        let samples = [
            sample(300, 900, 10, 250),
            sample(100, 200, 30, 200),
            sample(200, 250, 20, 900),
        ];
        let group: Vec<&Sample> = samples.iter().collect();
        let median = median_sample(&group);
        assert_eq!(median.elapsed, Duration::from_millis(200));
        assert_eq!(median.cpu, Duration::from_millis(250));
        assert_eq!(median.user, Duration::from_millis(20));
        assert_eq!(median.server_cpu, Some(Duration::from_millis(250)));
        assert_eq!(
            (median.phase, median.client),
            ("download-single", Kind::Ours)
        );
    }

    #[test]
    fn a_sample_without_server_cpu_is_left_out_of_its_median() {
        let mut unknown = sample(200, 250, 20, 0);
        unknown.server_cpu = None;
        let samples = [
            sample(100, 200, 30, 300),
            unknown,
            sample(300, 900, 10, 400),
        ];
        let group: Vec<&Sample> = samples.iter().collect();
        assert_eq!(
            median_sample(&group).server_cpu,
            Some(Duration::from_millis(400)),
            "the upper median of 300 and 400 ms"
        );
        let mut alone = sample(200, 250, 20, 0);
        alone.server_cpu = None;
        assert_eq!(median_sample(&[&alone]).server_cpu, None);
    }
}
