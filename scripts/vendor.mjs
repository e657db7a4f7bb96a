#!/usr/bin/env node
/**
 * Copy the browser builds of our npm dependencies into static/vendor/.
 *
 * Kiosks run offline, so nothing may load from a CDN: the screens import
 * these copies instead. Run after `npm ci` (the Makefile does both).
 * static/vendor/ is generated and ignored by git.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const target = join(root, "static", "vendor");

/** Files to copy: [package, path inside the package, name in static/vendor]. */
const FILES = [
  ["socket.io-client", "dist/socket.io.esm.min.js", "socket.io.esm.min.js"],
  ["socket.io-client", "dist/socket.io.esm.min.js.map", "socket.io.esm.min.js.map"],
  ["socket.io-client", "LICENSE", "socket.io-client.LICENSE"],
  ["chart.js", "dist/chart.umd.js", "chart.umd.js"],
  ["chart.js", "dist/chart.umd.js.map", "chart.umd.js.map"],
  ["chart.js", "LICENSE.md", "chart.js.LICENSE.md"],
  ["@fontsource/noto-color-emoji", "LICENSE", "emoji/OFL.txt"],
];

/** The colour emoji font (SIL OFL 1.1), split by unicode-range so a screen loads only what it shows. */
const EMOJI = "@fontsource/noto-color-emoji";
/** Our own family name: a system "Noto Color Emoji" keeps its name and wins when installed. */
const EMOJI_FAMILY = "Wall Emoji";

/**
 * Copy the emoji font's woff2 files and write emoji.css, whose faces use them
 * under EMOJI_FAMILY (woff2 only: every browser a kiosk runs reads it).
 */
function vendorEmoji() {
  const source = join(modules, EMOJI);
  mkdirSync(join(target, "emoji"), { recursive: true });
  for (const name of readdirSync(join(source, "files")).filter((file) => file.endsWith(".woff2"))) {
    copyFileSync(join(source, "files", name), join(target, "emoji", name));
  }
  const css = readFileSync(join(source, "index.css"), "utf8")
    .replaceAll("font-family: 'Noto Color Emoji';", `font-family: '${EMOJI_FAMILY}';`)
    .replace(/src: url\(\.\/files\/([\w-]+\.woff2)\) format\('woff2'\)[^;]*;/g, "src: url(./$1) format('woff2');");
  if (!css.includes(EMOJI_FAMILY) || css.includes("./files/")) {
    console.error(`vendor: ${EMOJI}/index.css has an unexpected shape; update scripts/vendor.mjs`);
    process.exit(1);
  }
  writeFileSync(join(target, "emoji", "emoji.css"), `/* ${EMOJI}@${versionOf(EMOJI)}, SIL OFL 1.1 (OFL.txt) */\n${css}`);
}

/**
 * Read the installed version of a package.
 * @param {string} name package name
 * @returns {string}
 */
function versionOf(name) {
  const manifest = JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8"));
  return manifest.version;
}

/** Copy every file, failing loudly when one is missing. */
function main() {
  mkdirSync(join(target, "emoji"), { recursive: true });
  const missing = FILES.filter(([pkg, file]) => !existsSync(join(modules, pkg, file)));
  if (missing.length > 0) {
    for (const [pkg, file] of missing) console.error(`vendor: missing node_modules/${pkg}/${file}`);
    console.error("vendor: run `npm ci` first");
    process.exit(1);
  }
  for (const [pkg, file, name] of FILES) {
    copyFileSync(join(modules, pkg, file), join(target, name));
  }
  vendorEmoji();
  for (const pkg of new Set(FILES.map(([name]) => name))) {
    console.log(`vendor: ${pkg}@${versionOf(pkg)} -> static/vendor/`);
  }
}

main();
