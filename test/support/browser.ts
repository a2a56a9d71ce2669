/// <reference lib="dom" />
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, headless, with no network side-traffic (the machine has no internet). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

export interface PixelStats {
  /** Distinct colours after quantising each channel to 16 levels. */
  distinctColours: number;
  /** Fraction of pixels that are not (near) white. */
  nonWhite: number;
  /** Pixels within ±tolerance per channel of each probe colour. */
  near: number[];
}

/** Decodes a PNG screenshot in the browser (canvas) and measures its pixels. */
export async function pixelStats(browser: Browser, png: Buffer, probes: [number, number, number][] = [], tolerance = 30): Promise<PixelStats> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ({ b64, probes, tolerance }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, img.width, img.height).data;
        const colours = new Set<number>();
        let nonWhite = 0;
        const near = probes.map(() => 0);
        for (let i = 0; i < d.length; i += 4) {
          const r = d[i]!, g = d[i + 1]!, b = d[i + 2]!;
          colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
          if (r < 245 || g < 245 || b < 245) nonWhite++;
          probes.forEach(([pr, pg, pb], j) => {
            if (Math.abs(r - pr) <= tolerance && Math.abs(g - pg) <= tolerance && Math.abs(b - pb) <= tolerance) near[j]!++;
          });
        }
        return { distinctColours: colours.size, nonWhite: nonWhite / (d.length / 4), near };
      },
      { b64: png.toString('base64'), probes, tolerance },
    );
  } finally {
    await page.close();
  }
}
