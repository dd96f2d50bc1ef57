// tests/tools/png-colours.js FILE RRGGBB...: decodes the PNG FILE (8-bit
// RGB or RGBA, not interlaced, as Chromium writes screenshots) with Node's
// zlib and prints, for each colour given, how many pixels have it, then the
// number of distinct colours: "4e79a7=1234 d00000=56 distinct=789".
"use strict";
const fs = require("fs");
const zlib = require("zlib");
const [file, ...wanted] = process.argv.slice(2);
const png = fs.readFileSync(file);
let width = 0, height = 0, channels = 0;
const idat = [];
for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString("ascii", at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
        width = data.readUInt32BE(0);
        height = data.readUInt32BE(4);
        if (data[8] !== 8 || data[12] !== 0 || (data[9] !== 2 && data[9] !== 6))
            throw new Error("only 8-bit RGB or RGBA, not interlaced");
        channels = data[9] === 6 ? 4 : 3;
    } else if (type === "IDAT") {
        idat.push(data);
    }
    at += 12 + length;
}
const raw = zlib.inflateSync(Buffer.concat(idat));
const stride = width * channels;
const pixels = Buffer.alloc(stride * height);
const paeth = (a, b, c) => {
    const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};
for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
        const byte = raw[y * (stride + 1) + 1 + i];
        const a = i >= channels ? pixels[y * stride + i - channels] : 0;
        const b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
        const c = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels] : 0;
        const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
        pixels[y * stride + i] = (byte + predictor) & 0xff;
    }
}
const counts = new Map();
for (let p = 0; p < width * height; p++) {
    const o = p * channels;
    const key = ((pixels[o] << 16) | (pixels[o + 1] << 8) | pixels[o + 2]).toString(16).padStart(6, "0");
    counts.set(key, (counts.get(key) || 0) + 1);
}
console.log([...wanted.map((w) => `${w}=${counts.get(w.toLowerCase()) || 0}`), `distinct=${counts.size}`].join(" "));
