//! Small plotting helpers on top of `plotters`: font registration and simple line figures.
//!
//! `plotters` draws text through `ab_glyph`, which needs a TrueType font at run time. neurotype
//! looks for DejaVu Sans or Liberation Sans in the usual system locations (or the file named by
//! `NEUROTYPE_FONT`). Without one, figures are still written, without text, and a warning is
//! printed.

use neurotype_units::InvalidParameter;
use plotters::prelude::*;
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
        let tick = |v: &f64| {
            let s = format!("{v:.3}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        };
        mesh.light_line_style(RGBColor(235, 235, 235))
            .x_labels(6)
            .y_labels(6)
            .x_label_formatter(&tick)
            .y_label_formatter(&tick);
        if text {
            mesh.x_desc(panel.x_label).y_desc(panel.y_label);
        } else {
            mesh.disable_x_axis().disable_y_axis();
        }
        mesh.draw().map_err(&draw)?;
        for (k, s) in panel.series.iter().enumerate() {
            let color = PALETTE[k % PALETTE.len()];
            let drawn = chart
                .draw_series(LineSeries::new(
                    decimate(s.x, s.y, 2 * width as usize),
                    color.stroke_width(2),
                ))
                .map_err(&draw)?;
            if text {
                drawn.label(s.label).legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 20, y)], color.stroke_width(2))
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

/// Draws a spike raster (and, below it, the population rate in Hz binned over `bin_ms`) into
/// a PNG. `times_ms` and `neurons` give one dot per spike.
pub fn raster(
    path: impl AsRef<Path>,
    title: &str,
    times_ms: &[f64],
    neurons: &[u32],
    n_neurons: usize,
    duration_ms: f64,
    bin_ms: f64,
) -> Result<(), PlotError> {
    use neurotype_units::{check, constants::ms};
    let owner = "raster";
    check::size(owner, "n_neurons", n_neurons)?;
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
    if times_ms.len() != neurons.len() {
        return Err(InvalidParameter::new(
            owner,
            "neurons",
            format!("{} neurons", neurons.len()),
            format!("must match the {} spike times", times_ms.len()),
        )
        .into());
    }
    if let Some(k) = neurons.iter().position(|&i| i as usize >= n_neurons) {
        return Err(InvalidParameter::new(
            owner,
            format!("neurons[{k}]"),
            neurons[k].to_string(),
            format!("must be below n_neurons = {n_neurons}"),
        )
        .into());
    }
    if let Some(k) = times_ms.iter().position(|t| !t.is_finite()) {
        return Err(InvalidParameter::new(
            owner,
            format!("times_ms[{k}]"),
            times_ms[k].to_string(),
            "must be a finite number",
        )
        .into());
    }
    let text = ensure_font();
    let path = path.as_ref();
    let draw = drawing(path);
    let root = BitMapBackend::new(path, (1200, 800)).into_drawing_area();
    root.fill(&WHITE).map_err(&draw)?;
    let (top, bottom) = root.split_vertically(560);
    let mut builder = ChartBuilder::on(&top);
    builder.margin(12);
    if text {
        builder
            .caption(title, ("sans-serif", 20))
            .x_label_area_size(30)
            .y_label_area_size(60);
    }
    let mut chart = builder
        .build_cartesian_2d(0.0..duration_ms, 0.0..n_neurons as f64)
        .map_err(&draw)?;
    let mut mesh = chart.configure_mesh();
    let tick = |v: &f64| format!("{v:.0}");
    mesh.disable_mesh()
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick);
    if text {
        mesh.y_desc("neuron");
    } else {
        mesh.disable_x_axis().disable_y_axis();
    }
    mesh.draw().map_err(&draw)?;
    chart
        .draw_series(
            times_ms
                .iter()
                .zip(neurons)
                .map(|(&t, &i)| Pixel::new((t, i as f64), BLACK)),
        )
        .map_err(&draw)?;

    let bins = ((duration_ms / bin_ms).ceil() as usize).max(1);
    let mut counts = vec![0usize; bins];
    for &t in times_ms {
        let b = ((t / bin_ms) as usize).min(bins - 1);
        counts[b] += 1;
    }
    let rate: Vec<(f64, f64)> = counts
        .iter()
        .enumerate()
        .map(|(b, &c)| {
            (
                (b as f64 + 0.5) * bin_ms,
                c as f64 / (n_neurons as f64 * bin_ms * 1e-3),
            )
        })
        .collect();
    let max_rate = rate.iter().map(|r| r.1).fold(1.0, f64::max);
    let mut builder = ChartBuilder::on(&bottom);
    builder.margin(12);
    if text {
        builder.x_label_area_size(40).y_label_area_size(60);
    }
    let mut chart = builder
        .build_cartesian_2d(0.0..duration_ms, 0.0..max_rate * 1.1)
        .map_err(&draw)?;
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(RGBColor(235, 235, 235))
        .x_labels(6)
        .y_labels(4);
    if text {
        mesh.x_desc("time (ms)").y_desc("rate (Hz)");
    } else {
        mesh.disable_x_axis().disable_y_axis();
    }
    mesh.draw().map_err(&draw)?;
    chart
        .draw_series(LineSeries::new(rate, PALETTE[0].stroke_width(2)))
        .map_err(&draw)?;
    root.present().map_err(&draw)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
