//! A small page-layout engine for Okno's documents on top of krilla: headings, wrapped
//! paragraphs, label-value blocks and tables on A4, in DejaVu Sans, so Polish and Cyrillic
//! letters print correctly. Fonts are embedded as subsets; text is measured with ttf-parser to
//! wrap and right-align.

use std::sync::{Arc, OnceLock};

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};

use crate::error::ApiError;

/// A4 in points.
const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const FOOTER_Y: f32 = PAGE_HEIGHT - 30.0;

struct FontFace {
    data: Arc<Vec<u8>>,
    units_per_em: f32,
    font: Font,
}

impl FontFace {
    fn load(bytes: &'static [u8]) -> Option<Self> {
        let data = Arc::new(bytes.to_vec());
        let face = ttf_parser::Face::parse(bytes, 0).ok()?;
        let units_per_em = f32::from(face.units_per_em());
        let font = Font::new(data.clone().into(), 0)?;
        Some(Self {
            data,
            units_per_em,
            font,
        })
    }

    /// The width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        let Ok(face) = ttf_parser::Face::parse(&self.data, 0) else {
            return 0.0;
        };
        let units: f32 = text
            .chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(self.units_per_em / 2.0, f32::from)
            })
            .sum();
        units * size / self.units_per_em
    }
}

struct Fonts {
    regular: FontFace,
    bold: FontFace,
}

fn fonts() -> Option<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some(Fonts {
                regular: FontFace::load(dejavu::sans::regular())?,
                bold: FontFace::load(dejavu::sans::bold())?,
            })
        })
        .as_ref()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        grey: bool,
        text: String,
    },
    Line {
        y: f32,
        x1: f32,
        x2: f32,
    },
    Shade {
        y: f32,
        height: f32,
    },
}

/// A document being laid out, page by page, top to bottom.
pub struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
    footer: String,
}

impl Layout {
    pub fn new(footer: impl Into<String>) -> Self {
        Self {
            pages: vec![Vec::new()],
            y: MARGIN,
            footer: footer.into(),
        }
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// Starts a new page unless `height` more points fit on this one.
    fn ensure(&mut self, height: f32) {
        if self.y + height > FOOTER_Y - 20.0 {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    fn width(text: &str, size: f32, bold: bool) -> f32 {
        fonts().map_or(0.0, |f| {
            if bold {
                f.bold.width(text, size)
            } else {
                f.regular.width(text, size)
            }
        })
    }

    /// Breaks `text` into lines no wider than `width`.
    fn wrap(text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if Self::width(&candidate, size, bold) > width && !line.is_empty() {
                    lines.push(std::mem::replace(&mut line, word.to_owned()));
                } else {
                    line = candidate;
                }
            }
            lines.push(line);
        }
        lines
    }

    fn text_at(&mut self, x: f32, size: f32, bold: bool, grey: bool, text: &str) {
        let y = self.y;
        self.push(Op::Text {
            x,
            y,
            size,
            bold,
            grey,
            text: text.to_owned(),
        });
    }

    pub fn title(&mut self, text: &str) {
        self.ensure(30.0);
        self.y += 18.0;
        self.text_at(MARGIN, 18.0, true, false, text);
        self.y += 14.0;
    }

    pub fn subtitle(&mut self, text: &str) {
        self.ensure(16.0);
        self.y += 11.0;
        self.text_at(MARGIN, 10.0, false, true, text);
        self.y += 8.0;
    }

    pub fn heading(&mut self, text: &str) {
        self.ensure(40.0);
        self.y += 16.0;
        self.text_at(MARGIN, 12.0, true, false, text);
        self.y += 4.0;
        let y = self.y;
        self.push(Op::Line {
            y,
            x1: MARGIN,
            x2: PAGE_WIDTH - MARGIN,
        });
        self.y += 6.0;
    }

    pub fn paragraph(&mut self, text: &str) {
        for line in Self::wrap(text, 10.0, false, CONTENT_WIDTH) {
            self.ensure(14.0);
            self.y += 13.0;
            self.text_at(MARGIN, 10.0, false, false, &line);
        }
        self.y += 4.0;
    }

    /// Label and value pairs in two columns.
    pub fn facts(&mut self, facts: &[(&str, String)]) {
        const LABEL_WIDTH: f32 = 170.0;
        for (label, value) in facts {
            let lines = Self::wrap(value, 10.0, false, CONTENT_WIDTH - LABEL_WIDTH);
            self.ensure(13.0 * lines.len() as f32 + 2.0);
            self.y += 13.0;
            self.text_at(MARGIN, 10.0, false, true, label);
            for (i, line) in lines.iter().enumerate() {
                if i > 0 {
                    self.y += 13.0;
                }
                self.text_at(MARGIN + LABEL_WIDTH, 10.0, false, false, line);
            }
        }
        self.y += 4.0;
    }

    /// A table; `widths` are fractions of the content width.
    pub fn table(
        &mut self,
        header: &[&str],
        widths: &[f32],
        aligns: &[Align],
        rows: &[Vec<String>],
    ) {
        let columns: Vec<(f32, f32, Align)> = {
            let mut x = MARGIN;
            widths
                .iter()
                .zip(aligns)
                .map(|(w, a)| {
                    let width = w * CONTENT_WIDTH;
                    let column = (x, width, *a);
                    x += width;
                    column
                })
                .collect()
        };
        // Long texts wrap within their column; the row grows to its tallest cell.
        let draw_row = |layout: &mut Self, cells: &[String], bold: bool| {
            let wrapped: Vec<Vec<String>> = columns
                .iter()
                .zip(cells)
                .map(|((_, width, _), cell)| {
                    Self::wrap(cell, 9.0, bold, width - 6.0)
                        .iter()
                        .map(|line| fit(line, 9.0, bold, width - 6.0))
                        .collect()
                })
                .collect();
            let extra_lines = wrapped
                .iter()
                .map(Vec::len)
                .max()
                .unwrap_or(1)
                .saturating_sub(1);
            let extra = f32::from(u8::try_from(extra_lines).unwrap_or(u8::MAX)) * 11.0;
            layout.ensure(16.0 + extra);
            if bold {
                let y = layout.y + 2.0;
                layout.push(Op::Shade {
                    y,
                    height: 16.0 + extra,
                });
            }
            let top = layout.y + 13.0;
            for ((x, width, align), lines) in columns.iter().zip(&wrapped) {
                for (offset, text) in (0_u8..).zip(lines) {
                    layout.y = top + f32::from(offset) * 11.0;
                    let tx = match align {
                        Align::Left => x + 3.0,
                        Align::Right => x + width - 3.0 - Self::width(text, 9.0, bold),
                    };
                    layout.text_at(tx, 9.0, bold, false, text);
                }
            }
            layout.y = top + extra + 4.0;
        };
        let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
        draw_row(self, &header, true);
        for row in rows {
            draw_row(self, row, false);
        }
        let y = self.y;
        self.push(Op::Line {
            y,
            x1: MARGIN,
            x2: PAGE_WIDTH - MARGIN,
        });
        self.y += 6.0;
    }

    /// A right-aligned line such as a total.
    pub fn total(&mut self, label: &str, value: &str) {
        self.ensure(18.0);
        self.y += 15.0;
        let value_width = Self::width(value, 11.0, true);
        let label_width = Self::width(label, 11.0, true);
        let right = PAGE_WIDTH - MARGIN - 3.0;
        self.text_at(right - value_width, 11.0, true, false, value);
        self.text_at(
            right - value_width - 16.0 - label_width,
            11.0,
            true,
            false,
            label,
        );
        self.y += 4.0;
    }

    pub fn space(&mut self, points: f32) {
        self.y += points;
    }

    /// Lines to sign on, side by side.
    pub fn signatures(&mut self, left: &str, right: &str) {
        self.ensure(70.0);
        self.y += 50.0;
        let y = self.y;
        self.push(Op::Line {
            y,
            x1: MARGIN,
            x2: MARGIN + 200.0,
        });
        self.push(Op::Line {
            y,
            x1: PAGE_WIDTH - MARGIN - 200.0,
            x2: PAGE_WIDTH - MARGIN,
        });
        self.y += 12.0;
        self.text_at(MARGIN, 9.0, false, true, left);
        self.text_at(PAGE_WIDTH - MARGIN - 200.0, 9.0, false, true, right);
        self.y += 6.0;
    }

    /// The PDF.
    pub fn render(self) -> Result<Vec<u8>, ApiError> {
        let fonts = fonts()
            .ok_or_else(|| ApiError::Internal("the document fonts cannot be loaded".into()))?;
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
            .ok_or_else(|| ApiError::Internal("page size".into()))?;
        let mut document = Document::new();
        let total = self.pages.len();
        for (index, ops) in self.pages.into_iter().enumerate() {
            let mut page = document.start_page_with(settings.clone());
            let mut surface = page.surface();
            for op in &ops {
                draw(&mut surface, fonts, op);
            }
            let footer = format!("{}  ·  {}/{}", self.footer, index + 1, total);
            let footer_op = Op::Text {
                x: MARGIN,
                y: FOOTER_Y,
                size: 8.0,
                bold: false,
                grey: true,
                text: footer,
            };
            draw(&mut surface, fonts, &footer_op);
            surface.finish();
            page.finish();
        }
        document
            .finish()
            .map_err(|e| ApiError::Internal(format!("rendering a PDF: {e:?}")))
    }
}

/// Shortens `text` with an ellipsis until it fits `width`.
fn fit(text: &str, size: f32, bold: bool, width: f32) -> String {
    if Layout::width(text, size, bold) <= width {
        return text.to_owned();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>() + "…";
        if Layout::width(&candidate, size, bold) <= width {
            return candidate;
        }
    }
    String::new()
}

fn draw(surface: &mut krilla::surface::Surface<'_>, fonts: &Fonts, op: &Op) {
    let grey = rgb::Color::new(90, 98, 112);
    match op {
        Op::Text {
            x,
            y,
            size,
            bold,
            grey: is_grey,
            text,
        } => {
            let paint = if *is_grey {
                grey
            } else {
                rgb::Color::new(20, 24, 32)
            };
            surface.set_fill(Some(Fill {
                paint: paint.into(),
                ..Fill::default()
            }));
            let font = if *bold {
                fonts.bold.font.clone()
            } else {
                fonts.regular.font.clone()
            };
            surface.draw_text(
                Point::from_xy(*x, *y),
                font,
                *size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Op::Line { y, x1, x2 } => {
            let mut builder = PathBuilder::new();
            builder.move_to(*x1, *y);
            builder.line_to(*x2, *y);
            if let Some(path) = builder.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: rgb::Color::new(190, 196, 206).into(),
                    width: 0.6,
                    ..Stroke::default()
                }));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
        }
        Op::Shade { y, height } => {
            let mut builder = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(MARGIN, *y, CONTENT_WIDTH, *height) {
                builder.push_rect(rect);
            }
            if let Some(path) = builder.finish() {
                surface.set_fill(Some(Fill {
                    paint: rgb::Color::new(236, 240, 246).into(),
                    ..Fill::default()
                }));
                surface.draw_path(&path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_polish_and_cyrillic_text_into_a_pdf() {
        let mut layout = Layout::new("Okno");
        layout.title("Umowa o świadczenie usług — Договор");
        layout.paragraph(
            &"Zażółć gęślą jaźń. Съешь же ещё этих мягких французских булок. ".repeat(30),
        );
        layout.table(
            &["Usługa", "Kwota"],
            &[0.7, 0.3],
            &[Align::Left, Align::Right],
            &[vec!["Internet 300".into(), "59,99 zł".into()]],
        );
        let pdf = layout.render().unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        // The font is embedded (as a subset), so the letters print without the reader's fonts.
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("FontFile2") || text.contains("FontFile3"));
        assert!(
            pdf.len() < 200_000,
            "subset fonts keep documents small: {} bytes",
            pdf.len()
        );
    }

    #[test]
    fn wraps_to_the_width_and_fits_cells() {
        let lines = Layout::wrap("ab ".repeat(200).trim(), 10.0, false, 100.0);
        assert!(lines.len() > 5);
        assert!(lines.iter().all(|l| Layout::width(l, 10.0, false) <= 100.0));
        let cell = fit(&"x".repeat(100), 9.0, false, 50.0);
        assert!(cell.ends_with('…') && Layout::width(&cell, 9.0, false) <= 50.0);
    }
}
