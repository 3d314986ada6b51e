//! Checkpoints: run, save, load into a network built afresh (in another process), run on; the
//! result equals one uninterrupted run bit for bit: spikes, every state variable, every
//! monitor, the random generators. Checked on COBA and on a network with delays,
//! short-term plasticity, Poisson sources and inputs, spike times and every projection kind.
//! A checkpoint of another network is refused without changing anything.

use neurotype::prelude::*;
use neurotype_benches::networks;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The networks the tests resume.
fn build(name: &str, threads: usize) -> Network {
    let mut net = match name {
        "coba" => networks::by_name("coba", 4000, 7).unwrap().net,
        "mixed" => mixed().net,
        other => panic!("no test network `{other}`"),
    };
    net.set_threads(threads).unwrap();
    net
}

/// Every kind of projection, delays (uniform and per neuron), STP, a Poisson source, a spike
/// time source, a Poisson input, a current input, an Ornstein–Uhlenbeck noise current and
/// every kind of monitor. Returns the
/// excitatory population's handle and its spike and V monitors too.
fn mixed() -> Mixed {
    let (ne, ni) = (300, 80);
    let mut net = Network::new(0.1 * ms)
        .unwrap()
        .seed(11)
        .progress(Progress::Never);
    let lif = |n: usize| {
        Lif::builder(n)
            .v_rest(-60.0 * mV)
            .v_reset(-60.0 * mV)
            .v_th(-50.0 * mV)
            .tau(20.0 * ms)
            .r(100.0 * Mohm)
            .tau_ref(2.0 * ms)
            .v_init(Init::uniform(-60.0 * mV, -50.0 * mV))
            .build()
            .unwrap()
    };
    let e = net.add("E", lif(ne));
    let i = net.add("I", lif(ni));
    let src = net.add_source(PoissonGroup::new(200, 15.0 * Hz, 3).unwrap());
    let times: Vec<Time> = (0..40).map(|k| (k as f64 * 17.3) * ms).collect();
    let idx: Vec<usize> = (0..40).map(|k| k % 10).collect();
    let kicks = net.add_source(SpikeTimeGroup::new(10, &idx, &times).unwrap());
    net.connect(
        AlignPostProj::new(src, e)
            .comm(Comm::fixed_prob(200, ne, 0.2, 3.0 * nS))
            .syn(Expon::builder(ne).tau(5.0 * ms).build().unwrap())
            .out(Coba::new(0.0 * mV).unwrap())
            .delay(Delay::Steps(3))
            .stp(Stp::builder(200).build().unwrap()),
    )
    .unwrap();
    net.connect(
        AlignPostProj::new(e, i)
            .comm(Comm::fixed_prob(ne, ni, 0.1, 0.5 * nS))
            .syn(DualExpon::builder(ni).build().unwrap())
            .out(Coba::new(0.0 * mV).unwrap())
            .delay(Delay::Steps(7)),
    )
    .unwrap();
    net.connect(
        AlignPostProj::new(i, e)
            .comm(Comm::fixed_prob(ni, ne, 0.2, 2.0 * nS))
            .syn(Expon::builder(ne).tau(10.0 * ms).build().unwrap())
            .out(Coba::new(-80.0 * mV).unwrap()),
    )
    .unwrap();
    net.connect(
        DeltaProj::new(e, e)
            .comm(Comm::fixed_prob(ne, ne, 0.05, 0.3 * mV))
            .delay(Delay::PerNeuronSteps((0..ne).map(|k| k % 5).collect())),
    )
    .unwrap();
    net.connect(
        DeltaProj::new(kicks, e)
            .comm(Comm::fixed_prob(10, ne, 0.3, 2.0 * mV))
            .delay(Delay::Steps(2)),
    )
    .unwrap();
    net.connect(
        AlignPreProj::new(e, i)
            .comm(Comm::fixed_prob(ne, ni, 0.1, 0.2 * nS))
            .syn(Ampa::builder(ne).build().unwrap())
            .out(Coba::new(0.0 * mV).unwrap())
            .delay(Delay::Steps(4)),
    )
    .unwrap();
    net.poisson_input(PoissonInput::spec(i, "V", 200, 20.0 * Hz, 0.5 * mV, 5).unwrap())
        .unwrap();
    // ANCHOR: noise
    // an Ornstein–Uhlenbeck current per neuron of I: mean 0, σ = 0.05 nA, τ = 5 ms, seed 9
    net.input(NoiseCurrent::ornstein_uhlenbeck(i, 0.0 * nA, 0.05 * nA, 5.0 * ms, 9).unwrap())
        .unwrap();
    // ANCHOR_END: noise
    net.input(
        ExternalCurrent::new(
            e,
            Waveform::Constant {
                value: 0.05 * nA,
                duration: Some(200.0 * ms),
            },
        )
        .unwrap(),
    )
    .unwrap();
    let spikes = net.monitor_spikes(e).unwrap();
    net.monitor_spikes(i).unwrap();
    let v = net
        .monitor_state(e, "V", (0..ne).step_by(30).collect(), 3)
        .unwrap();
    net.monitor_rate(i).unwrap();
    Mixed { net, e, spikes, v }
}

struct Mixed {
    net: Network,
    e: Pop<Lif>,
    spikes: MonitorId<SpikeRecord>,
    v: MonitorId<StateRecord>,
}

/// A file in the test's own scratch directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("neurotype-checkpoint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The child's half: builds `NT_NET` on `NT_THREADS` threads, loads `NT_CHECKPOINT`, runs
/// `NT_RUN_MS` and saves its final state to `NT_OUT`. Does nothing when not called as a child.
#[test]
#[ignore = "run by the checkpoint tests in a child process"]
fn resume_in_child() {
    let Ok(input) = std::env::var("NT_CHECKPOINT") else {
        return;
    };
    let var = |k: &str| std::env::var(k).unwrap();
    let mut net = build(&var("NT_NET"), var("NT_THREADS").parse().unwrap());
    net.load_checkpoint(&input).unwrap();
    net.run(var("NT_RUN_MS").parse::<f64>().unwrap() * ms)
        .unwrap();
    net.save_checkpoint(var("NT_OUT")).unwrap();
}

/// Runs [`resume_in_child`] in a new process of this test binary.
fn resume_in_a_fresh_process(net: &str, threads: usize, input: &Path, run_ms: f64) -> Checkpoint {
    let out = input.with_extension("resumed");
    let status = Command::new(std::env::current_exe().unwrap())
        .args([
            "resume_in_child",
            "--exact",
            "--ignored",
            "--test-threads=1",
        ])
        .env("NT_NET", net)
        .env("NT_THREADS", threads.to_string())
        .env("NT_CHECKPOINT", input)
        .env("NT_RUN_MS", run_ms.to_string())
        .env("NT_OUT", &out)
        .status()
        .unwrap();
    assert!(status.success(), "the child process failed");
    Checkpoint::load(&out).unwrap()
}

fn resumes_bit_for_bit(name: &str, first_ms: f64, second_ms: f64) {
    let mut whole = build(name, 1);
    let stats = whole.run((first_ms + second_ms) * ms).unwrap();
    assert!(stats.spikes > 100, "{name}: {} spikes", stats.spikes);
    let whole_state = whole.checkpoint();

    let mut first = build(name, 1);
    first.run(first_ms * ms).unwrap();
    let path = scratch(&format!("{name}.ckpt"));
    first.save_checkpoint(&path).unwrap();
    // resumed on another thread count: the thread count does not change the bits
    let resumed = resume_in_a_fresh_process(name, 2, &path, second_ms);

    assert_eq!(resumed.step(), whole_state.step());
    assert!(
        resumed.to_bytes() == whole_state.to_bytes(),
        "{name}: resumed state differs from the uninterrupted run's"
    );
}

#[test]
fn coba_resumed_in_a_fresh_process_equals_one_uninterrupted_run() {
    resumes_bit_for_bit("coba", 500.0, 500.0);
}

#[test]
fn a_network_with_delays_stp_and_poisson_input_resumes_bit_for_bit() {
    // 123.4 ms: mid-way through the delays' histories, the STP recovery and the spike times
    resumes_bit_for_bit("mixed", 123.4, 176.6);
}

#[test]
fn periodic_checkpoints_let_a_killed_run_resume_from_the_last_one() {
    let mut whole = build("mixed", 1);
    whole.run(250.0 * ms).unwrap();
    let whole_state = whole.checkpoint();

    let path = scratch("periodic.ckpt");
    let mut long = build("mixed", 1);
    long.checkpoint_every(40.0 * ms, &path).unwrap();
    long.run(130.0 * ms).unwrap();
    drop(long); // "killed" at 130 ms: the last checkpoint is the one of 120 ms
    let mut resumed = build("mixed", 1);
    resumed.load_checkpoint(&path).unwrap();
    assert_eq!(resumed.step_index(), 1200);
    resumed.run(250.0 * ms - resumed.t()).unwrap();
    assert!(resumed.checkpoint().to_bytes() == whole_state.to_bytes());

    assert!(matches!(
        build("mixed", 1).checkpoint_every(0.0 * ms, &path),
        Err(NetworkError::Invalid(_))
    ));
}

#[test]
fn a_checkpoint_of_another_network_is_refused_and_changes_nothing() {
    let mut small = build("mixed", 1);
    small.run(20.0 * ms).unwrap();
    let saved = small.checkpoint();

    // another structure: one more monitor
    let Mixed {
        net: mut other, e, ..
    } = mixed();
    other.run(5.0 * ms).unwrap();
    let before = other.checkpoint();
    other.monitor_rate(e).unwrap();
    let err = other.restore(&saved).unwrap_err();
    assert!(
        err.to_string().contains("monitor 4"),
        "the message names the difference: {err}"
    );
    other.restore(&before).unwrap_err();

    // another dt
    let mut coarse = Network::new(0.2 * ms).unwrap();
    let err = coarse.restore(&saved).unwrap_err();
    assert!(err.to_string().contains("dt = 0.1 ms"), "{err}");

    // a damaged file, a truncated file, a file that is not a checkpoint
    let path = scratch("damaged.ckpt");
    let mut bytes = saved.to_bytes();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    let err = small.load_checkpoint(&path).unwrap_err();
    assert!(err.to_string().contains("checksum"), "{err}");
    std::fs::write(&path, &saved.to_bytes()[..mid]).unwrap();
    assert!(matches!(
        small.load_checkpoint(&path),
        Err(NetworkError::Checkpoint(_))
    ));
    std::fs::write(&path, b"V,t\n-65,0\n").unwrap();
    let err = small.load_checkpoint(&path).unwrap_err();
    assert!(
        err.to_string().contains("not a neurotype checkpoint"),
        "{err}"
    );
    let err = small.load_checkpoint(scratch("missing.ckpt")).unwrap_err();
    assert!(
        std::error::Error::source(&err).is_some(),
        "an I/O error keeps its source"
    );
    // nothing was changed by the refused loads
    assert!(small.checkpoint() == saved);
}

/// The crash test's network: [`mixed`], its E spikes and V streamed to `dir` every 20 ms.
fn streamed(dir: &Path) -> Mixed {
    let mut m = mixed();
    m.net
        .stream_monitor(m.spikes, dir.join("spikes.stream"), 20.0 * ms)
        .unwrap();
    m.net
        .stream_monitor(m.v, dir.join("v.stream"), 20.0 * ms)
        .unwrap();
    m
}

/// The crash test's child: streams and saves a checkpoint every 50 ms of a run far longer than
/// it will live (the test kills it).
#[test]
#[ignore = "run by the crash test in a child process"]
fn run_until_killed() {
    let Ok(dir) = std::env::var("NT_CRASH_DIR") else {
        return;
    };
    let dir = PathBuf::from(dir);
    let mut m = streamed(&dir);
    m.net
        .checkpoint_every(50.0 * ms, dir.join("run.ckpt"))
        .unwrap();
    m.net.run(1e5 * ms).unwrap();
}

#[test]
fn a_killed_run_leaves_every_completed_chunk_and_resumes_from_its_checkpoint() {
    use neurotype::network::stream::{extent, read_spikes, read_states};
    let dir = scratch("crash");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "run_until_killed",
            "--exact",
            "--ignored",
            "--test-threads=1",
        ])
        .env("NT_CRASH_DIR", &dir)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // kill it once it has written 6 chunks (120 ms) and two checkpoints
    let started = std::time::Instant::now();
    loop {
        let written = extent(dir.join("v.stream")).map_or(0, |(n, _)| n);
        if written >= 6 {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 120,
            "the child wrote {written} chunks"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    // the uninterrupted run
    let mut whole = mixed();
    whole.net.run(300.0 * ms).unwrap();
    let spikes = whole.net.record(whole.spikes).unwrap().clone();
    let v = whole.net.record(whole.v).unwrap();
    let (steps_v, values_v) = (v.steps.clone(), v.values());
    let width = v.indices.len();

    // every completed chunk is there, and is what the uninterrupted run recorded
    let (chunks, end) = extent(dir.join("spikes.stream")).unwrap();
    assert!(
        chunks >= 6 && end >= 1200,
        "{chunks} chunks up to step {end}"
    );
    let read = read_spikes(dir.join("spikes.stream")).unwrap();
    let n = spikes.steps.partition_point(|&s| s < end);
    assert!(n > 10);
    assert_eq!(read.steps[..n], spikes.steps[..n]);
    assert_eq!(read.neurons[..n], spikes.neurons[..n]);
    let states = read_states(dir.join("v.stream")).unwrap();
    let (_, end_v) = extent(dir.join("v.stream")).unwrap();
    let rows = steps_v.partition_point(|&s| s < end_v);
    assert_eq!(states.steps[..rows], steps_v[..rows]);
    assert_eq!(states.values[..rows * width], values_v[..rows * width]);
    assert_eq!((states.var.as_str(), states.unit.as_str()), ("V", "mV"));

    // resumed from the last checkpoint, appending to the same files, up to 300 ms: the files
    // read as the uninterrupted run
    let mut resumed = streamed(&dir);
    resumed.net.load_checkpoint(dir.join("run.ckpt")).unwrap();
    assert!(resumed.net.step_index() >= 1000);
    resumed.net.run(300.0 * ms - resumed.net.t()).unwrap();
    let read = read_spikes(dir.join("spikes.stream")).unwrap();
    assert_eq!(read.steps, spikes.steps);
    assert_eq!(read.neurons, spikes.neurons);
    let states = read_states(dir.join("v.stream")).unwrap();
    assert_eq!(states.steps, steps_v);
    assert_eq!(states.values, values_v);
    // the streamed monitors kept only their last chunk in memory
    assert!(resumed.net.record(resumed.spikes).unwrap().steps.len() < spikes.steps.len() / 5);
    std::fs::remove_dir_all(&dir).unwrap();
}
