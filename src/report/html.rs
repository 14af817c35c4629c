//! The index pages of the packs: one HTML file, styles inline, no scripts,
//! no network; charts are images beside it and tables link to their CSV
//! files, so the page opens from disk in any browser. Every text is escaped.

use std::fmt::Write;

/// A page being written.
pub struct Page {
    body: String,
    title: String,
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:sans-serif;margin:2em auto;max-width:1150px;color:#222;line-height:1.4}\
h1{font-size:1.6em;margin-bottom:0.2em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}\
.lead{color:#555}.cards{display:flex;flex-wrap:wrap;gap:12px}\
.card{border:1px solid #ccc;border-radius:6px;padding:10px 14px;min-width:150px}\
.card .value{font-size:1.7em;font-weight:bold}.card .label{color:#555;font-size:0.9em}\
.card .was{color:#777;font-size:0.8em}table{border-collapse:collapse;font-size:0.85em;margin:0.5em 0}\
th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f3f3f3}\
figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}figcaption{color:#555;font-size:0.9em}\
.note{color:#555;font-size:0.9em}";

impl Page {
    pub fn new(title: &str, lead: &str) -> Page {
        let mut page = Page {
            body: String::new(),
            title: title.to_string(),
        };
        let _ = write!(
            page.body,
            "<h1>{}</h1>\n<p class=\"lead\">{}</p>\n",
            escape(title),
            escape(lead)
        );
        page
    }

    pub fn heading(&mut self, text: &str) {
        let _ = writeln!(self.body, "<h2>{}</h2>", escape(text));
    }

    pub fn paragraph(&mut self, text: &str) {
        let _ = writeln!(self.body, "<p class=\"note\">{}</p>", escape(text));
    }

    /// Headline figures: (label, value, comparison).
    pub fn cards(&mut self, cards: &[(String, String, String)]) {
        self.body.push_str("<div class=\"cards\">\n");
        for (label, value, was) in cards {
            let _ = writeln!(
                self.body,
                "<div class=\"card\"><div class=\"value\">{}</div><div class=\"label\">{}</div><div class=\"was\">{}</div></div>",
                escape(value),
                escape(label),
                escape(was)
            );
        }
        self.body.push_str("</div>\n");
    }

    /// A chart: the SVG shown, the PNG linked.
    pub fn figure(&mut self, stem: &str, caption: &str) {
        let _ = writeln!(
            self.body,
            "<figure><img src=\"{stem}.svg\" alt=\"{alt}\"><figcaption>{caption} (<a href=\"{stem}.png\">PNG</a>, <a href=\"{stem}.svg\">SVG</a>)</figcaption></figure>",
            stem = escape(stem),
            alt = escape(caption),
            caption = escape(caption)
        );
    }

    /// A table of the first rows, with a link to the whole CSV.
    pub fn table(&mut self, header: &[String], rows: &[Vec<String>], csv: &str, total: usize) {
        let _ = writeln!(
            self.body,
            "<p class=\"note\">{} of {} rows shown; all in <a href=\"{}\">{}</a>.</p>",
            rows.len(),
            total,
            escape(csv),
            escape(csv)
        );
        if rows.is_empty() {
            return;
        }
        // The file the rows come from, so a check can hold the page to it.
        let _ = write!(self.body, "<table data-source=\"{}\"><thead><tr>", escape(csv));
        for cell in header {
            let _ = write!(self.body, "<th>{}</th>", escape(cell));
        }
        self.body.push_str("</tr></thead><tbody>\n");
        for row in rows {
            self.body.push_str("<tr>");
            for cell in row {
                let _ = write!(self.body, "<td>{}</td>", escape(cell));
            }
            self.body.push_str("</tr>\n");
        }
        self.body.push_str("</tbody></table>\n");
    }

    /// A list of links to files of the pack.
    pub fn links(&mut self, links: &[(String, String)]) {
        self.body.push_str("<ul>\n");
        for (file, what) in links {
            let _ = writeln!(
                self.body,
                "<li><a href=\"{}\">{}</a>: {}</li>",
                escape(file),
                escape(file),
                escape(what)
            );
        }
        self.body.push_str("</ul>\n");
    }

    /// The whole document.
    pub fn finish(&self) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
            escape(&self.title),
            self.body
        )
    }
}

/// The first rows of a CSV file written into a pack, some columns only, for a page's table.
pub struct Preview {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub total: usize,
}

impl Preview {
    /// Reads `path`, keeping `columns` (in that order) of the first `limit` rows.
    pub fn read(path: &std::path::Path, columns: &[&str], limit: usize) -> std::io::Result<Preview> {
        let mut reader = csv::Reader::from_path(path).map_err(std::io::Error::other)?;
        let header = reader.headers().map_err(std::io::Error::other)?.clone();
        let positions: Vec<Option<usize>> = columns.iter().map(|c| header.iter().position(|h| h == *c)).collect();
        let mut rows = Vec::new();
        let mut total = 0;
        for record in reader.records() {
            let record = record.map_err(std::io::Error::other)?;
            total += 1;
            if rows.len() < limit {
                rows.push(
                    positions
                        .iter()
                        .map(|p| p.and_then(|p| record.get(p)).unwrap_or_default().to_string())
                        .collect(),
                );
            }
        }
        Ok(Preview {
            header: columns.iter().map(|c| c.to_string()).collect(),
            rows,
            total,
        })
    }
}

impl Page {
    /// The first `rows` rows of `dir/file` (the space-separated `columns` of
    /// it) as a table, linked to the whole file.
    pub fn csv_table(&mut self, dir: &std::path::Path, file: &str, columns: &str, rows: usize) -> std::io::Result<()> {
        let columns: Vec<&str> = columns.split_whitespace().collect();
        let preview = Preview::read(&dir.join(file), &columns, rows)?;
        self.table(&preview.header, &preview.rows, file, preview.total);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_everywhere() {
        let mut page = Page::new("A <b> & 'c'", "lead");
        page.table(&["h\"".into()], &[vec!["<script>".into()]], "x.csv", 1);
        let html = page.finish();
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
        assert!(html.contains("A &lt;b&gt; &amp; &#39;c&#39;"));
    }
}
