//! Photos made small for the report. A laptop's photo is megabytes; shown 160 points wide it
//! needs a few hundred pixels, so each is scaled down (averaging the pixels each new one
//! covers) and written as JPEG: a report with ten photos stays small enough to e-mail.

use std::io::Cursor;

/// The longest side of a photo in the report, in pixels: about 300 dpi at its printed size.
pub const MAX_SIDE: usize = 720;
/// Photos larger than this on a side are not read (a 30,000-pixel "photo" is an attack on
/// memory, not a photo).
const MAX_INPUT_SIDE: usize = 12_000;
const QUALITY: u8 = 80;

/// RGB pixels, 3 bytes each, row by row.
struct Pixels {
    width: usize,
    height: usize,
    rgb: Vec<u8>,
}

/// `content` (JPEG or PNG) as a JPEG no larger than [`MAX_SIDE`] on a side; a JPEG already
/// that small is kept as it is. `None` when it cannot be read.
pub fn thumbnail(content: &[u8]) -> Option<Vec<u8>> {
    let jpeg = content.starts_with(&[0xff, 0xd8, 0xff]);
    let pixels = if jpeg {
        decode_jpeg(content)?
    } else if content.starts_with(b"\x89PNG\r\n\x1a\n") {
        decode_png(content)?
    } else {
        return None;
    };
    if jpeg && pixels.width.max(pixels.height) <= MAX_SIDE {
        return Some(content.to_vec());
    }
    let small = shrink(&pixels, MAX_SIDE);
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, QUALITY)
        .encode(
            &small.rgb,
            u16::try_from(small.width).ok()?,
            u16::try_from(small.height).ok()?,
            jpeg_encoder::ColorType::Rgb,
        )
        .ok()?;
    Some(out)
}

fn decode_jpeg(content: &[u8]) -> Option<Pixels> {
    let options = zune_core::options::DecoderOptions::default()
        .jpeg_set_out_colorspace(zune_core::colorspace::ColorSpace::RGB)
        .set_max_width(MAX_INPUT_SIDE)
        .set_max_height(MAX_INPUT_SIDE);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(content), options);
    let rgb = decoder.decode().ok()?;
    let info = decoder.info()?;
    let (width, height) = (usize::from(info.width), usize::from(info.height));
    (rgb.len() == width * height * 3).then_some(Pixels { width, height, rgb })
}

/// Whether `content` is a PNG that decodes whole.
pub fn png_readable(content: &[u8]) -> bool {
    content.starts_with(b"\x89PNG\r\n\x1a\n") && decode_png(content).is_some()
}

fn decode_png(content: &[u8]) -> Option<Pixels> {
    let mut decoder = png::Decoder::new(Cursor::new(content));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let (w, h) = (reader.info().width as usize, reader.info().height as usize);
    if w > MAX_INPUT_SIDE || h > MAX_INPUT_SIDE {
        return None;
    }
    let mut buf = vec![0; reader.output_buffer_size()?];
    let frame = reader.next_frame(&mut buf).ok()?;
    let channels = frame.color_type.samples();
    let line = frame.line_size;
    let mut rgb = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        let row = buf.get(y * line..y * line + w * channels)?;
        for px in row.chunks_exact(channels) {
            // Transparent parts show as the white paper they are printed on.
            let (r, g, b, a) = match px {
                [v] => (*v, *v, *v, 255),
                [v, a] => (*v, *v, *v, *a),
                [r, g, b] => (*r, *g, *b, 255),
                [r, g, b, a] => (*r, *g, *b, *a),
                _ => return None,
            };
            let over_white =
                |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
            rgb.extend([over_white(r), over_white(g), over_white(b)]);
        }
    }
    Some(Pixels {
        width: w,
        height: h,
        rgb,
    })
}

/// `pixels` scaled to fit `side` on its longest side (never enlarged), each new pixel the
/// average of the ones it covers.
fn shrink(pixels: &Pixels, side: usize) -> Pixels {
    let (w, h) = (pixels.width, pixels.height);
    let longest = w.max(h);
    if longest <= side {
        return Pixels {
            width: w,
            height: h,
            rgb: pixels.rgb.clone(),
        };
    }
    let (nw, nh) = ((w * side / longest).max(1), (h * side / longest).max(1));
    let mut rgb = Vec::with_capacity(nw * nh * 3);
    for ty in 0..nh {
        let (y0, y1) = (ty * h / nh, ((ty + 1) * h / nh).max(ty * h / nh + 1));
        for tx in 0..nw {
            let (x0, x1) = (tx * w / nw, ((tx + 1) * w / nw).max(tx * w / nw + 1));
            let mut sum = [0u32; 3];
            for y in y0..y1 {
                let row = &pixels.rgb[(y * w + x0) * 3..(y * w + x1) * 3];
                for px in row.chunks_exact(3) {
                    for (s, v) in sum.iter_mut().zip(px) {
                        *s += u32::from(*v);
                    }
                }
            }
            let n = ((y1 - y0) * (x1 - x0)) as u32;
            rgb.extend(sum.map(|s| ((s + n / 2) / n) as u8));
        }
    }
    Pixels {
        width: nw,
        height: nh,
        rgb,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(w: u16, h: u16) -> Vec<u8> {
        let rgb: Vec<u8> = (0..usize::from(w) * usize::from(h))
            .flat_map(|i| [(i % 256) as u8, 90, 200])
            .collect();
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, 90)
            .encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        out
    }

    fn size_of(content: &[u8]) -> (usize, usize) {
        let p = decode_jpeg(content).unwrap();
        (p.width, p.height)
    }

    #[test]
    fn a_large_photo_is_scaled_to_fit_and_keeps_its_shape() {
        let big = jpeg(1600, 1200);
        let small = thumbnail(&big).unwrap();
        assert_eq!(size_of(&small), (720, 540));
        assert!(small.len() < big.len());
        let tall = thumbnail(&jpeg(300, 2000)).unwrap();
        assert_eq!(size_of(&tall), (108, 720));
    }

    #[test]
    fn a_small_jpeg_is_kept_as_it_is_and_anything_else_unreadable_is_refused() {
        let small = jpeg(640, 480);
        assert_eq!(thumbnail(&small).unwrap(), small);
        assert_eq!(thumbnail(b"GIF89a"), None);
        assert_eq!(thumbnail(b"\xff\xd8\xff broken"), None);
        assert_eq!(thumbnail(b"\x89PNG\r\n\x1a\n broken"), None);
    }

    #[test]
    fn shrinking_averages_what_each_pixel_covers() {
        // A 4 × 2 image of black and white columns becomes a 2 × 1 image of mid greys.
        let rgb: Vec<u8> = (0..8)
            .flat_map(|i| {
                if i % 2 == 0 {
                    [0, 0, 0]
                } else {
                    [255, 255, 255]
                }
            })
            .collect();
        let small = shrink(
            &Pixels {
                width: 4,
                height: 2,
                rgb,
            },
            2,
        );
        assert_eq!((small.width, small.height), (2, 1));
        assert_eq!(small.rgb, [128; 6]);
    }
}
