//! Writes a sample service report, to look at while working on the layout:
//! `cargo run -p onsite-report --example sample -- report.pdf` (then, say,
//! `pdftoppm -png -r 80 report.pdf page`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // an example that fails should stop loudly

use onsite_report::*;

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "report.pdf".into());
    let mut report = onsite_report::sample::boiler_repair();
    // Photos and a drawn signature from files given after the output, if any: `--photo F`
    // (repeatable), `--signature F` (or `sample`), `--logo F`.
    let args: Vec<String> = std::env::args().skip(2).collect();
    for pair in args.chunks(2) {
        let [flag, file] = pair else { break };
        // `--signature sample` draws the sample signature.
        let content = if file == "sample" {
            onsite_report::sample::signature_png()
        } else {
            std::fs::read(file).expect("read the file")
        };
        match flag.as_str() {
            "--photo" => report.photos.push(Photo {
                content,
                caption: file.rsplit('/').next().unwrap_or(file).to_string(),
            }),
            "--signature" => {
                report.signature = Some(Signature {
                    signer: "Ada Lovelace".into(),
                    signed_at: "2 December 2026, 10:07".into(),
                    image: Some(content),
                })
            }
            "--logo" => report.company.logo = Some(content),
            other => panic!("unknown option {other}"),
        }
    }
    let pdf = render(&report).expect("render");
    std::fs::write(&out, &pdf).expect("write the PDF");
    println!("{out}: {} bytes", pdf.len());
}
