//! Small plotting helpers on top of `plotters`: font registration and simple line figures.
//!
//! `plotters` draws text through `ab_glyph`, which needs a TrueType font at run time. neurotype
//! looks for DejaVu Sans or Liberation Sans in the usual system locations (or the file named by
//! `NEUROTYPE_FONT`). Without one, figures are still written, without text, and a warning is
//! printed.

use neurotype_units::InvalidParameter;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Why a figure could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// An argument is impossible (a bin of zero, a spike of a neuron outside the population…).
    #[error(transparent)]
    Invalid(#[from] InvalidParameter),
    /// Drawing or writing the image failed.
    #[error("cannot draw {}: {source}", path.display())]
    Draw {
        /// The image file.
        path: PathBuf,
        /// What the drawing library said.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Turns a drawing error into a [`PlotError::Draw`] naming `path`.
fn drawing<E: std::error::Error + Send + Sync + 'static>(path: &Path) -> impl Fn(E) -> PlotError {
    move |e| PlotError::Draw {
        path: path.to_path_buf(),
        source: Box::new(e),
    }
}

const FONT_CANDIDATES: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
    "/Library/Fonts/Arial.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "C:\\Windows\\Fonts\\arial.ttf",
];

/// Registers a system font with plotters (once). Returns whether text can be drawn.
pub fn ensure_font() -> bool {
    static READY: OnceLock<bool> = OnceLock::new();
    *READY.get_or_init(|| {
        let from_env = std::env::var("NEUROTYPE_FONT").ok();
        let candidates = from_env
            .iter()
            .map(String::as_str)
            .chain(FONT_CANDIDATES.iter().copied());
        for path in candidates {
            if let Ok(bytes) = std::fs::read(path) {
                let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                if plotters::style::register_font("sans-serif", FontStyle::Normal, bytes).is_ok() {
                    return true;
                }
            }
        }
        eprintln!(
            "neurotype: no TrueType font found (tried DejaVu Sans, Liberation Sans; set \
             NEUROTYPE_FONT=/path/to/font.ttf); figures will have no text"
        );
        false
    })
}

/// One line of a [`line_figure`] panel.
pub struct Series<'a> {
    /// Legend label.
    pub label: &'a str,
    /// x values.
    pub x: &'a [f64],
    /// y values.
    pub y: &'a [f64],
}

/// One panel (axes) of a [`line_figure`].
pub struct Panel<'a> {
    /// Title above the panel.
    pub title: &'a str,
    /// x-axis label.
    pub x_label: &'a str,
    /// y-axis label.
    pub y_label: &'a str,
    /// The lines.
    pub series: Vec<Series<'a>>,
}

const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-12 {
        return (lo - 1.0, hi + 1.0);
    }
    let pad = 0.05 * (hi - lo);
    (lo - pad, hi + pad)
}

/// Reduces a long trace to at most about `2·buckets` points that keep its envelope: the first
/// point and, per bucket of consecutive samples, the minimum and the maximum in time order.
/// Spikes and resets stay visible however many samples a pixel column holds.
pub fn decimate(x: &[f64], y: &[f64], buckets: usize) -> Vec<(f64, f64)> {
    let n = x.len().min(y.len());
    if n <= 2 * buckets.max(1) {
        return x.iter().copied().zip(y.iter().copied()).take(n).collect();
    }
    let size = n.div_ceil(buckets);
    let mut out = Vec::with_capacity(2 * buckets + 2);
    out.push((x[0], y[0]));
    for start in (1..n).step_by(size) {
        let end = (start + size).min(n);
        let (mut lo, mut hi) = (start, start);
        for k in start..end {
            if y[k] < y[lo] {
                lo = k;
            }
            if y[k] > y[hi] {
                hi = k;
            }
        }
        let (a, b) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        out.push((x[a], y[a]));
        if b != a {
            out.push((x[b], y[b]));
        }
    }
    out
}

/// A tick label: up to 3 decimals, without trailing zeros.
fn tick(v: &f64) -> String {
    if *v != 0.0 && v.abs() < 0.01 {
        return format!("{v:.1e}");
    }
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// An axis label in the one style of neurotype's figures: starting with a capital letter
/// (`"time (ms)"` is drawn as `"Time (ms)"`). A label that starts with a symbol (`"w / g_max"`,
/// `"V (mV)"`: a first word of one letter) is left as it is.
pub fn axis_label(label: &str) -> String {
    let word: String = label.chars().take_while(|c| c.is_alphabetic()).collect();
    let mut chars = label.chars();
    match chars.next() {
        Some(c) if word.chars().count() > 1 && c.is_lowercase() => {
            c.to_uppercase().chain(chars).collect()
        }
        _ => label.to_string(),
    }
}

/// The part of segment `a`–`b` inside the rectangle `x × y` (Liang–Barsky), if any.
fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    x: &Range<f64>,
    y: &Range<f64>,
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - x.start),
        (dx, x.end - a.0),
        (-dy, a.1 - y.start),
        (dy, y.end - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then(|| {
        // the ends themselves when they are inside, so that runs join exactly
        let at = |t: f64| {
            if t <= 0.0 {
                a
            } else if t >= 1.0 {
                b
            } else {
                (a.0 + t * dx, a.1 + t * dy)
            }
        };
        (at(t0), at(t1))
    })
}

/// Cuts a polyline into the runs that lie inside the rectangle `x × y`.
pub fn clip_polyline(
    points: &[(f64, f64)],
    x: &Range<f64>,
    y: &Range<f64>,
) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let inside = |p: &(f64, f64)| x.contains(&p.0) && y.contains(&p.1);
    if points.len() == 1 && inside(&points[0]) {
        return vec![points.to_vec()];
    }
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        if !(a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite()) {
            continue;
        }
        let Some((p, q)) = clip_segment(a, b, x, y) else {
            continue;
        };
        match runs.last_mut() {
            Some(run) if run.last() == Some(&p) => run.push(q),
            _ => runs.push(vec![p, q]),
        }
    }
    runs
}

type Chart<'a, 'b> =
    ChartContext<'a, BitMapBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws a line two pixels wide that never leaves the axes: the points are clipped to the
/// axes' ranges and drawn as one-pixel lines three times, as they are, one pixel higher and
/// one pixel to the right (plotters draws lines wider than one pixel as polygons it does not
/// clip).
fn draw_trace(
    path: &Path,
    chart: &mut Chart<'_, '_>,
    points: Vec<(f64, f64)>,
    color: RGBColor,
    (x, y): (Range<f64>, Range<f64>),
) -> Result<(), PlotError> {
    let (width, height) = chart.plotting_area().dim_in_pixel();
    let lift = (y.end - y.start) / height.max(1) as f64;
    let nudge = (x.end - x.start) / width.max(1) as f64;
    for (dx, dy) in [(0.0, 0.0), (0.0, lift), (nudge, 0.0)] {
        let shifted: Vec<(f64, f64)> = points.iter().map(|&(a, b)| (a + dx, b + dy)).collect();
        for run in clip_polyline(&shifted, &x, &y) {
            chart
                .draw_series(LineSeries::new(run, color.stroke_width(1)))
                .map_err(drawing(path))?;
        }
    }
    Ok(())
}

/// Draws panels stacked vertically into a PNG of `width` × `height_per_panel·panels` pixels.
pub fn line_figure(
    path: impl AsRef<Path>,
    panels: &[Panel<'_>],
    width: u32,
    height_per_panel: u32,
) -> Result<(), PlotError> {
    grid_figure(path, panels, 1, width, height_per_panel)
}

/// Draws panels on a grid of `columns` columns, each `panel_width` × `panel_height` pixels.
pub fn grid_figure(
    path: impl AsRef<Path>,
    panels: &[Panel<'_>],
    columns: usize,
    panel_width: u32,
    panel_height: u32,
) -> Result<(), PlotError> {
    let text = ensure_font();
    let columns = columns.max(1);
    let rows = panels.len().div_ceil(columns).max(1);
    let width = panel_width * columns as u32;
    let height = panel_height * rows as u32;
    let path = path.as_ref();
    let draw = drawing(path);
    let root = BitMapBackend::new(path, (width, height)).into_drawing_area();
    root.fill(&WHITE).map_err(&draw)?;
    let areas = root.split_evenly((rows, columns));
    for (panel, area) in panels.iter().zip(areas.iter()) {
        let (x0, x1) = bounds(panel.series.iter().flat_map(|s| s.x.iter().copied()));
        let (y0, y1) = bounds(panel.series.iter().flat_map(|s| s.y.iter().copied()));
        let mut builder = ChartBuilder::on(area);
        builder.margin(12);
        if text {
            let size = if columns > 1 { 16 } else { 20 };
            builder
                .caption(panel.title, ("sans-serif", size))
                .x_label_area_size(40)
                .y_label_area_size(60);
        }
        let mut chart = builder.build_cartesian_2d(x0..x1, y0..y1).map_err(&draw)?;
        let mut mesh = chart.configure_mesh();
        mesh.light_line_style(RGBColor(235, 235, 235))
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&tick)
            .y_label_formatter(&tick);
        let (x_desc, y_desc) = (axis_label(panel.x_label), axis_label(panel.y_label));
        if text {
            mesh.x_desc(x_desc).y_desc(y_desc);
        } else {
            mesh.disable_x_axis().disable_y_axis();
        }
        mesh.draw().map_err(&draw)?;
        for (k, s) in panel.series.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            let points = decimate(s.x, s.y, 2 * width as usize);
            draw_trace(path, &mut chart, points, color, (x0..x1, y0..y1))?;
            if text {
                let key = chart
                    .draw_series(core::iter::empty::<PathElement<(f64, f64)>>())
                    .map_err(&draw)?;
                key.label(s.label).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 1), (x + 20, y + 1)], color.filled())
                });
            }
        }
        if text && panel.series.len() > 1 {
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .draw()
                .map_err(&draw)?;
        }
    }
    root.present().map_err(&draw)?;
    Ok(())
}

/// One population of a [`raster_groups`] figure: its spikes as `(time in ms, neuron)` pairs.
pub struct RasterGroup<'a> {
    /// Its name in the legend (`"E"`).
    pub label: &'a str,
    /// Spike times (ms).
    pub times_ms: &'a [f64],
    /// The neuron of each spike (index within the population).
    pub neurons: &'a [u32],
    /// Number of neurons of the population.
    pub size: usize,
}

/// Draws a spike raster of one population (and, below it, its rate in Hz binned over
/// `bin_ms`) into a PNG: [`raster_groups`] with one group.
pub fn raster(
    path: impl AsRef<Path>,
    title: &str,
    times_ms: &[f64],
    neurons: &[u32],
    n_neurons: usize,
    duration_ms: f64,
    bin_ms: f64,
) -> Result<(), PlotError> {
    let group = RasterGroup {
        label: "",
        times_ms,
        neurons,
        size: n_neurons,
    };
    raster_groups(path, title, &[group], duration_ms, bin_ms)
}

/// Draws the spike records of several populations in one raster, labelled, one colour each,
/// with their rates below: [`raster_groups`] straight from the monitors.
///
/// ```no_run
/// # use neurotype::prelude::*;
/// # fn demo(net: &Network, e: MonitorId<SpikeRecord>, i: MonitorId<SpikeRecord>) -> Result<(), Report> {
/// let (e, i) = (net.record(e)?, net.record(i)?);
/// neurotype::plot::raster_records("output/raster.png", "E/I network", &[("E", e), ("I", i)], 200.0, 5.0)?;
/// # Ok(())
/// # }
/// ```
pub fn raster_records(
    path: impl AsRef<Path>,
    title: &str,
    records: &[(&str, &neurotype_network::SpikeRecord)],
    duration_ms: f64,
    bin_ms: f64,
) -> Result<(), PlotError> {
    let times: Vec<Vec<f64>> = records.iter().map(|(_, r)| r.times_ms()).collect();
    let groups: Vec<RasterGroup<'_>> = records
        .iter()
        .zip(&times)
        .map(|((label, r), times_ms)| RasterGroup {
            label,
            times_ms,
            neurons: &r.neurons,
            size: r.population_size(),
        })
        .collect();
    raster_groups(path, title, &groups, duration_ms, bin_ms)
}

/// Checks one group of a raster.
fn check_group(group: &RasterGroup<'_>) -> Result<(), InvalidParameter> {
    let owner = "raster";
    neurotype_units::check::size(owner, "n_neurons", group.size)?;
    let (times_ms, neurons) = (group.times_ms, group.neurons);
    if times_ms.len() != neurons.len() {
        return Err(InvalidParameter::new(
            owner,
            "neurons",
            format!("{} neurons", neurons.len()),
            format!("must match the {} spike times", times_ms.len()),
        ));
    }
    if let Some(k) = neurons.iter().position(|&i| i as usize >= group.size) {
        return Err(InvalidParameter::new(
            owner,
            format!("neurons[{k}]"),
            neurons[k].to_string(),
            format!("must be below n_neurons = {}", group.size),
        ));
    }
    if let Some(k) = times_ms.iter().position(|t| !t.is_finite()) {
        return Err(InvalidParameter::new(
            owner,
            format!("times_ms[{k}]"),
            times_ms[k].to_string(),
            "must be a finite number",
        ));
    }
    Ok(())
}

/// Draws the spikes of several populations stacked in one raster, one colour per population
/// with a legend (as `bp.visualize.raster_plot` over groups), and below it each population's
/// rate in Hz binned over `bin_ms`, in the same colours, into a 1200 × 800 PNG.
pub fn raster_groups(
    path: impl AsRef<Path>,
    title: &str,
    groups: &[RasterGroup<'_>],
    duration_ms: f64,
    bin_ms: f64,
) -> Result<(), PlotError> {
    use neurotype_units::{check, constants::ms};
    let owner = "raster";
    if groups.is_empty() {
        return Err(
            InvalidParameter::new(owner, "groups", "none", "must hold a population").into(),
        );
    }
    check::positive(
        owner,
        "duration_ms",
        neurotype_units::narrow(duration_ms) * ms,
    )?;
    check::positive(owner, "bin_ms", neurotype_units::narrow(bin_ms) * ms)?;
    // the rate panel is at most one bin per pixel column
    if duration_ms / bin_ms > 1200.0 {
        return Err(InvalidParameter::new(
            owner,
            "bin_ms",
            format!("{bin_ms} ms"),
            format!(
                "must be at least duration/1200 = {} ms",
                duration_ms / 1200.0
            ),
        )
        .into());
    }
    for group in groups {
        check_group(group)?;
    }
    let total: usize = groups.iter().map(|g| g.size).sum();
    let text = ensure_font();
    let path = path.as_ref();
    let draw = drawing(path);
    let root = BitMapBackend::new(path, (1200, 800)).into_drawing_area();
    root.fill(&WHITE).map_err(&draw)?;
    let (top, bottom) = root.split_vertically(540);
    let legend = text && groups.len() > 1;
    let mut builder = ChartBuilder::on(&top);
    builder.margin(12).margin_right(28);
    if text {
        builder
            .caption(title, ("sans-serif", 20))
            .x_label_area_size(40)
            .y_label_area_size(64);
    }
    let mut chart = builder
        .build_cartesian_2d(0.0..duration_ms, 0.0..total as f64)
        .map_err(&draw)?;
    let mut mesh = chart.configure_mesh();
    mesh.disable_mesh()
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&tick)
        .y_label_formatter(&|v: &f64| format!("{v:.0}"));
    if text {
        mesh.x_desc("Time (ms)").y_desc("Neuron index");
    } else {
        mesh.disable_x_axis().disable_y_axis();
    }
    mesh.draw().map_err(&draw)?;
    let mut first = 0usize;
    for (k, group) in groups.iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let dots = group
            .times_ms
            .iter()
            .zip(group.neurons)
            .filter(|(t, _)| (0.0..duration_ms).contains(*t))
            .map(move |(&t, &i)| Pixel::new((t, (first + i as usize) as f64 + 0.5), color));
        let drawn = chart.draw_series(dots).map_err(&draw)?;
        if legend {
            drawn
                .label(group.label)
                .legend(move |(x, y)| Rectangle::new([(x, y - 4), (x + 8, y + 4)], color.filled()));
        }
        first += group.size;
    }
    if legend {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()
            .map_err(&draw)?;
    }

    let bins = ((duration_ms / bin_ms).ceil() as usize).max(1);
    let rates: Vec<Vec<(f64, f64)>> = groups
        .iter()
        .map(|g| {
            let mut counts = vec![0usize; bins];
            for &t in g
                .times_ms
                .iter()
                .filter(|t| (0.0..duration_ms).contains(*t))
            {
                counts[((t / bin_ms) as usize).min(bins - 1)] += 1;
            }
            let hz = |c: usize| c as f64 / (g.size as f64 * bin_ms * 1e-3);
            counts
                .iter()
                .enumerate()
                .map(|(b, &c)| ((b as f64 + 0.5) * bin_ms, hz(c)))
                .collect()
        })
        .collect();
    let max_rate = rates.iter().flatten().map(|r| r.1).fold(1.0, f64::max);
    let mut builder = ChartBuilder::on(&bottom);
    builder.margin(12).margin_right(28);
    if text {
        builder.x_label_area_size(40).y_label_area_size(64);
    }
    let y_range = 0.0..max_rate * 1.1;
    let mut chart = builder
        .build_cartesian_2d(0.0..duration_ms, y_range.clone())
        .map_err(&draw)?;
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(RGBColor(235, 235, 235))
        .x_labels(6)
        .y_labels(4)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick);
    if text {
        mesh.x_desc("Time (ms)").y_desc("Rate (Hz)");
    } else {
        mesh.disable_x_axis().disable_y_axis();
    }
    mesh.draw().map_err(&draw)?;
    for (k, rate) in rates.into_iter().enumerate() {
        let color = PALETTE[k % PALETTE.len()];
        let ranges = (0.0..duration_ms, y_range.clone());
        draw_trace(path, &mut chart, rate, color, ranges)?;
    }
    root.present().map_err(&draw)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines never leave the axes: every point drawn lies in the plotting range, and a steep
    /// segment that crosses an edge is cut at the edge.
    #[test]
    fn lines_are_clipped_to_the_axes() {
        let (x, y) = (0.0..10.0, -1.0..1.0);
        // a spike far above the range, and a reset far below it
        let trace = [
            (0.0, 0.0),
            (1.0, 50.0),
            (2.0, 0.0),
            (3.0, -80.0),
            (4.0, 0.5),
        ];
        let runs = clip_polyline(&trace, &x, &y);
        for p in runs.iter().flatten() {
            assert!(x.contains(&p.0) || p.0 == x.end, "{p:?}");
            assert!((y.start..=y.end).contains(&p.1), "{p:?}");
        }
        // the parts inside are kept: rising to the top edge, back from it, down to the bottom
        // edge and up from it to the last point
        assert_eq!(runs.len(), 3);
        assert_eq!(runs[0][0], (0.0, 0.0));
        assert!((runs[0][1].1 - 1.0).abs() < 1e-12);
        assert_eq!(*runs[2].last().unwrap(), (4.0, 0.5));
        // a trace inside stays one run, point for point
        let inside = [(0.0, 0.0), (1.0, 0.5), (2.0, -0.5)];
        assert_eq!(clip_polyline(&inside, &x, &y), vec![inside.to_vec()]);
        assert_eq!(axis_label("time (ms)"), "Time (ms)");
        assert_eq!(axis_label("w / g_max"), "w / g_max");
        assert_eq!(axis_label("V (mV)"), "V (mV)");
    }

    #[test]
    fn raster_refuses_impossible_arguments_before_drawing() {
        let path = std::env::temp_dir().join("neurotype-raster-refused.png");
        let bad = |r: Result<(), PlotError>, what: &str| match r {
            Err(PlotError::Invalid(e)) => assert!(e.to_string().contains(what), "{e}"),
            other => panic!("{what}: {other:?}"),
        };
        // each of these hung, panicked or drew nonsense before
        bad(raster(&path, "t", &[], &[], 0, 100.0, 1.0), "n_neurons");
        bad(raster(&path, "t", &[], &[], 10, 100.0, 0.0), "bin_ms");
        bad(raster(&path, "t", &[], &[], 10, 100.0, f64::NAN), "bin_ms");
        bad(raster(&path, "t", &[], &[], 10, 1e9, 1.0), "bin_ms");
        bad(raster(&path, "t", &[1.0], &[], 10, 100.0, 1.0), "neurons");
        bad(
            raster(&path, "t", &[1.0], &[10], 10, 100.0, 1.0),
            "neurons[0]",
        );
        bad(
            raster(&path, "t", &[f64::INFINITY], &[1], 10, 100.0, 1.0),
            "times_ms[0]",
        );
        assert!(!path.exists());
    }
}
