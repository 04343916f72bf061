//! Geometry of the report's bar charts. The numbers come from
//! [`crate::model::PlotData`]; the templates draw the SVG elements from
//! these shapes, so no markup is built here.

use serde::Serialize;

use crate::model::{PlotData, TierKey};

/// A bar chart laid out in SVG user units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BarChart {
    pub title: String,
    /// Text alternative for screen readers.
    pub description: String,
    pub width: f64,
    pub height: f64,
    /// The plot area (inside the axes).
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    pub horizontal: bool,
    pub bars: Vec<Bar>,
    /// Value axis ticks.
    pub value_ticks: Vec<Tick>,
    /// Category axis labels (one per bar, or sparse for histograms).
    pub category_ticks: Vec<Tick>,
    pub value_label: String,
    pub category_label: String,
    /// Shown instead of the plot when there is nothing to draw.
    pub empty_message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub label: String,
    pub value: u64,
    /// CSS class of the fill (`tier-I`, `bar`).
    pub class: String,
    /// Where to print the value.
    pub value_x: f64,
    pub value_y: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tick {
    /// Position along the axis.
    pub at: f64,
    pub label: String,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Axis maximum and tick step: 1, 2 or 5 × 10^k, at most five steps.
fn nice_scale(max: u64) -> (u64, u64) {
    let max = max.max(1);
    let mut magnitude = 1u64;
    loop {
        for step in [magnitude, 2 * magnitude, 5 * magnitude] {
            if max.div_ceil(step) <= 5 {
                return (max.div_ceil(step) * step, step);
            }
        }
        magnitude *= 10;
    }
}

struct Category {
    label: String,
    value: u64,
    class: String,
}

fn vertical_chart(
    title: &str,
    categories: Vec<Category>,
    label_every: usize,
    width: f64,
    height: f64,
) -> BarChart {
    let (left, top, right, bottom) = (44.0, 14.0, width - 10.0, height - 34.0);
    let max = categories.iter().map(|c| c.value).max().unwrap_or(0);
    let (axis_max, step) = nice_scale(max);
    let scale = (bottom - top) / axis_max as f64;
    let slot = (right - left) / categories.len().max(1) as f64;
    let gap = if categories.len() > 10 {
        1.0
    } else {
        slot * 0.25
    };
    let mut bars = Vec::new();
    let mut category_ticks = Vec::new();
    for (i, c) in categories.iter().enumerate() {
        let h = c.value as f64 * scale;
        let x = left + i as f64 * slot + gap / 2.0;
        bars.push(Bar {
            x: round1(x),
            y: round1(bottom - h),
            width: round1(slot - gap),
            height: round1(h),
            label: c.label.clone(),
            value: c.value,
            class: c.class.clone(),
            value_x: round1(x + (slot - gap) / 2.0),
            value_y: round1(bottom - h - 4.0),
        });
        if i % label_every == 0 {
            category_ticks.push(Tick {
                at: round1(left + (i as f64 + 0.5) * slot),
                label: c.label.clone(),
            });
        }
    }
    let value_ticks = (0..=axis_max / step)
        .map(|k| Tick {
            at: round1(bottom - (k * step) as f64 * scale),
            label: (k * step).to_string(),
        })
        .collect();
    BarChart {
        title: title.to_string(),
        description: String::new(),
        width,
        height,
        left,
        top,
        right,
        bottom,
        horizontal: false,
        bars,
        value_ticks,
        category_ticks,
        value_label: "variants".to_string(),
        category_label: String::new(),
        empty_message: (max == 0).then(|| "No variants to plot.".to_string()),
    }
}

/// Variants per tier, bars coloured by tier.
pub fn tier_chart(plots: &PlotData) -> BarChart {
    let categories = plots
        .tier_counts
        .iter()
        .map(|t| Category {
            label: match t.tier {
                TierKey::Unclassified => "None".to_string(),
                TierKey::LikelyGermline => "Germline?".to_string(),
                tier => tier.as_str().to_string(),
            },
            value: t.count,
            class: format!("tier-{}", t.tier.as_str()),
        })
        .collect();
    let mut chart = vertical_chart("Variants per tier", categories, 1, 320.0, 220.0);
    chart.category_label = "AMP tier".to_string();
    chart.description = plots
        .tier_counts
        .iter()
        .map(|t| format!("{}: {}", t.tier.label(), t.count))
        .collect::<Vec<_>>()
        .join(", ");
    chart
}

/// Tumour VAF in twenty bins.
pub fn vaf_chart(plots: &PlotData) -> BarChart {
    let categories = plots
        .vaf_histogram
        .iter()
        .map(|b| Category {
            label: format!("{:.2}", b.lower),
            value: b.count,
            class: "bar".to_string(),
        })
        .collect();
    let mut chart = vertical_chart("Variant allele fraction", categories, 5, 380.0, 220.0);
    // Bin edges rather than bin centres on the category axis.
    let slot = (chart.right - chart.left) / plots.vaf_histogram.len().max(1) as f64;
    chart.category_ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
        .iter()
        .map(|v| Tick {
            at: round1(chart.left + v * 20.0 * slot),
            label: format!("{v}"),
        })
        .collect();
    chart.category_label = if plots.variants_without_vaf > 0 {
        format!("tumour VAF ({} without VAF)", plots.variants_without_vaf)
    } else {
        "tumour VAF".to_string()
    };
    chart.description = format!(
        "Histogram of tumour allele fractions in bins of 0.05; {} variant(s) without a VAF.",
        plots.variants_without_vaf
    );
    chart
}

/// Most severe consequence of each variant, most severe term on top.
pub fn consequence_chart(plots: &PlotData) -> BarChart {
    let row = 20.0;
    let rows = plots.consequence_spectrum.len().max(1) as f64;
    let width = 440.0;
    let (left, top, right) = (200.0, 8.0, width - 40.0);
    let bottom = top + rows * row;
    let height = bottom + 30.0;
    let max = plots
        .consequence_spectrum
        .iter()
        .map(|t| t.count)
        .max()
        .unwrap_or(0);
    let (axis_max, step) = nice_scale(max);
    let scale = (right - left) / axis_max as f64;
    let bars = plots
        .consequence_spectrum
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let y = top + i as f64 * row + 3.0;
            let w = t.count as f64 * scale;
            Bar {
                x: left,
                y: round1(y),
                width: round1(w),
                height: row - 6.0,
                label: t.term.clone(),
                value: t.count,
                class: "bar".to_string(),
                value_x: round1(left + w + 4.0),
                value_y: round1(y + row / 2.0 + 1.0),
            }
        })
        .collect::<Vec<_>>();
    let category_ticks = bars
        .iter()
        .map(|b| Tick {
            at: round1(b.y + (row - 6.0) / 2.0),
            label: b.label.clone(),
        })
        .collect();
    BarChart {
        title: "Consequence spectrum".to_string(),
        description: plots
            .consequence_spectrum
            .iter()
            .map(|t| format!("{}: {}", t.term, t.count))
            .collect::<Vec<_>>()
            .join(", "),
        width,
        height,
        left,
        top,
        right,
        bottom,
        horizontal: true,
        bars,
        value_ticks: (0..=axis_max / step)
            .map(|k| Tick {
                at: round1(left + (k * step) as f64 * scale),
                label: (k * step).to_string(),
            })
            .collect(),
        category_ticks,
        value_label: "variants (picked consequence)".to_string(),
        category_label: String::new(),
        empty_message: (max == 0).then(|| "No consequences to plot.".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HistogramBin, TermCount, TierCount};

    fn plots() -> PlotData {
        PlotData {
            tier_counts: vec![
                TierCount {
                    tier: TierKey::I,
                    count: 3,
                },
                TierCount {
                    tier: TierKey::II,
                    count: 0,
                },
                TierCount {
                    tier: TierKey::III,
                    count: 12,
                },
            ],
            vaf_histogram: (0..20)
                .map(|i| HistogramBin {
                    lower: i as f64 / 20.0,
                    upper: (i + 1) as f64 / 20.0,
                    count: u64::from(i == 8),
                })
                .collect(),
            variants_without_vaf: 2,
            consequence_spectrum: vec![
                TermCount {
                    term: "stop_gained".into(),
                    count: 1,
                },
                TermCount {
                    term: "missense_variant".into(),
                    count: 4,
                },
            ],
        }
    }

    #[test]
    fn scales_are_round_numbers_above_the_maximum() {
        assert_eq!(nice_scale(0), (1, 1));
        assert_eq!(nice_scale(3), (3, 1));
        assert_eq!(nice_scale(12), (15, 5));
        assert_eq!(nice_scale(9_731), (10_000, 2_000));
    }

    #[test]
    fn bars_are_proportional_and_inside_the_plot_area() {
        let chart = tier_chart(&plots());
        assert_eq!(chart.bars.len(), 3);
        let (i, ii, iii) = (&chart.bars[0], &chart.bars[1], &chart.bars[2]);
        assert_eq!(ii.height, 0.0);
        assert!((iii.height / i.height - 4.0).abs() < 0.05);
        assert_eq!(i.class, "tier-I");
        for bar in &chart.bars {
            assert!(bar.x >= chart.left && bar.x + bar.width <= chart.right + 0.1);
            assert!(bar.y >= chart.top - 0.1 && bar.y + bar.height <= chart.bottom + 0.1);
        }
        assert_eq!(chart.value_ticks.last().unwrap().label, "15");
        assert!(chart.empty_message.is_none());

        let vaf = vaf_chart(&plots());
        assert_eq!(vaf.bars.len(), 20);
        assert!(vaf.bars[8].height > 0.0 && vaf.bars[7].height == 0.0);
        assert_eq!(vaf.category_ticks.len(), 5);
        assert!(vaf.category_label.contains("2 without VAF"));

        let spectrum = consequence_chart(&plots());
        assert!(spectrum.horizontal);
        assert!(spectrum.bars[1].width > spectrum.bars[0].width);
        assert_eq!(spectrum.category_ticks[0].label, "stop_gained");
    }

    #[test]
    fn empty_data_says_so() {
        let mut empty = plots();
        for t in &mut empty.tier_counts {
            t.count = 0;
        }
        assert!(tier_chart(&empty).empty_message.is_some());
    }
}
