// Builds the browser assets kg ships, from the packages pinned in package.json / package-lock.json:
//
//   kg/serve/static/editor.js        the query page's SPARQL editor: CodeMirror 6 with the SPARQL
//                                    mode of @codemirror/legacy-modes and @codemirror/autocomplete,
//                                    bundled and minified by esbuild (global `KgEditor`)
//   kg/serve/static/editor.LICENSES.txt  the licences of everything in that bundle
//   kg/viz/assets/world.json         country outlines for the explorer's map: Natural Earth 1:50m
//                                    (public domain) from world-atlas, as SVG path data in tenths of a degree
//
// Run from this directory:  npm ci && node build.mjs
// The outputs are committed: a clean machine needs no npm and no network to run kg.
import { build } from "esbuild";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import * as topojson from "topojson-client";

const require = createRequire(import.meta.url);
const root = new URL("..", import.meta.url).pathname;

// ---- the editor bundle -------------------------------------------------------------------------
const bundled = ["@codemirror/autocomplete", "@codemirror/commands", "@codemirror/language",
  "@codemirror/legacy-modes", "@codemirror/search", "@codemirror/state", "@codemirror/streamparser", "@codemirror/view",
  "@lezer/common", "@lezer/highlight", "@marijn/find-cluster-break", "crelt", "style-mod", "w3c-keyname"];
const licences = [];
for (const name of bundled) {
  const dir = root + "js/node_modules/" + name;
  const pkg = JSON.parse(readFileSync(dir + "/package.json", "utf8"));
  const file = ["LICENSE", "LICENSE.md", "LICENSE.txt"].map((f) => dir + "/" + f).find((f) => existsSync(f));
  licences.push(`${name} ${pkg.version} (${pkg.license})\n\n${file ? readFileSync(file, "utf8").trim() : pkg.license}`);
}
const result = await build({
  entryPoints: [root + "js/src/query-editor.js"],
  bundle: true, minify: true, format: "iife", globalName: "KgEditor", target: ["es2020"],
  legalComments: "none", write: false, metafile: true,
  banner: { js: "/*! kg query editor: CodeMirror 6 (MIT, (c) Marijn Haverbeke and others) and its parts; " +
                "licences in editor.LICENSES.txt */" },
});
const inputs = Object.keys(result.metafile.inputs).map((p) => p.split("node_modules/").pop());
for (const name of new Set(inputs.filter((p) => !p.startsWith("src/")).map((p) => p.startsWith("@") ? p.split("/").slice(0, 2).join("/") : p.split("/")[0]))) {
  if (!bundled.includes(name)) throw new Error(`${name} is in the bundle but its licence is not listed in build.mjs`);
}
writeFileSync(root + "kg/serve/static/editor.js", result.outputFiles[0].text);
writeFileSync(root + "kg/serve/static/editor.LICENSES.txt", licences.join("\n\n" + "-".repeat(72) + "\n\n") + "\n");

// ---- the world outlines ------------------------------------------------------------------------
const world = JSON.parse(readFileSync(require.resolve("world-atlas/countries-50m.json"), "utf8"));
const countries = topojson.feature(world, world.objects.countries).features;
// Points in tenths of a degree (x = longitude, y = -latitude), each after the first relative
// to the one before ("l dx dy"), duplicates dropped: about a third of the size of absolute degrees.
function ring(points) {
  let d = "", px = 0, py = 0;
  points.forEach(([lon, lat], i) => {
    const x = Math.round(lon * 10), y = Math.round(-lat * 10);
    if (i === 0) d += "M" + x + " " + y;
    else if (x !== px || y !== py) d += "l" + (x - px) + " " + (y - py);
    px = x; py = y;
  });
  return d + "z";
}
const shapes = countries.map((f) => {
  const g = f.geometry;
  if (!g) return null;
  const polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const d = polygons.flatMap((poly) => poly.filter((r) => r.length > 3).map(ring)).join("");
  return d ? { name: f.properties.name, d } : null;
}).filter(Boolean).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
const atlas = JSON.parse(readFileSync(require.resolve("world-atlas/package.json"), "utf8"));
writeFileSync(root + "kg/viz/assets/world.json", JSON.stringify({
  source: `Natural Earth 1:50m Admin 0 countries (public domain), from world-atlas ${atlas.version} ` +
          "(ISC licence, (c) Michael Bostock); SVG path data in tenths of a degree, x = longitude, y = -latitude",
  countries: shapes,
}) + "\n");
console.log(`editor.js ${result.outputFiles[0].text.length} bytes; world.json ${shapes.length} countries`);
