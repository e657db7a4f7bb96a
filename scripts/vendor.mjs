#!/usr/bin/env node
/**
 * Copy the browser builds of our npm dependencies into static/vendor/.
 *
 * Kiosks run offline, so nothing may load from a CDN: the screens import
 * these copies instead. Run after `npm ci` (the Makefile does both).
 * static/vendor/ is generated and ignored by git.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
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
];

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
  mkdirSync(target, { recursive: true });
  const missing = FILES.filter(([pkg, file]) => !existsSync(join(modules, pkg, file)));
  if (missing.length > 0) {
    for (const [pkg, file] of missing) console.error(`vendor: missing node_modules/${pkg}/${file}`);
    console.error("vendor: run `npm ci` first");
    process.exit(1);
  }
  for (const [pkg, file, name] of FILES) {
    copyFileSync(join(modules, pkg, file), join(target, name));
  }
  for (const pkg of new Set(FILES.map(([name]) => name))) {
    console.log(`vendor: ${pkg}@${versionOf(pkg)} -> static/vendor/`);
  }
}

main();
