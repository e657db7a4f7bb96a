/**
 * A minimal Node.js socket.io 4 reference server for the benchmarks.
 *
 * It does what socialwall's fan-out does, nothing more: POST /api/ingest takes
 * the webhook's JSON (one post object or {"posts": [...]}), numbers each post
 * in one sequence, keeps the last 60 in memory and broadcasts `post_added`
 * {seq, post} to the "screens" room; `join_screen` is answered with an ack
 * shaped like socialwall's snapshot; `heartbeat` is acknowledged. Loopback only.
 *
 * Usage: node node_server.js [--port 0]   (prints "Listening on http://127.0.0.1:PORT")
 */
"use strict";

const http = require("node:http");
const { Server } = require("socket.io");

const SNAPSHOT_POSTS = 60;
const MAX_BODY = 256 * 1024;
const portArg = process.argv.indexOf("--port");
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;

let seq = 0;
let nextId = 1;
/** @type {object[]} */
const recent = [];
/** @type {Record<string, number>} */
const perNetwork = {};
let total = 0;

/** Build a post payload with the same fields as socialwall's post_payload. */
function payload(raw) {
  const now = new Date().toISOString();
  const text = String(raw.text ?? "");
  return {
    id: nextId++,
    source: "webhook",
    network: "webhook",
    external_id: String(raw.id ?? nextId),
    author: String(raw.author ?? ""),
    handle: String(raw.handle ?? ""),
    text,
    url: raw.url ?? null,
    created_at: raw.created_at ?? now,
    received_at: now,
    avatar: "/initials/" + encodeURIComponent(String(raw.author ?? "?").slice(0, 2)),
    media: [],
    hashtags: (text.match(/#\w+/g) ?? []).map((t) => t.slice(1)),
    language: null,
    status: "approved",
    highlighted: false,
    reasons: ["trusted author"],
    media_errors: [],
    ambassador: false,
    toxicity: null,
    pinned: false,
  };
}

function stats() {
  return { total, networks: { ...perNetwork }, per_minute: [], hashtags: [], authors: [] };
}

/** Answer an HTTP request with JSON. */
function reply(res, status, body) {
  const data = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(data) });
  res.end(data);
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/healthz") return reply(res, 200, { ok: true, seq });
  if (req.method !== "POST" || req.url !== "/api/ingest") return reply(res, 404, { error: "not found" });
  const chunks = [];
  let size = 0;
  req.on("data", (chunk) => {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
  });
  req.on("end", () => {
    if (size > MAX_BODY) return reply(res, 413, { error: "body too large" });
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return reply(res, 400, { error: "body must be JSON" });
    }
    const items = body && typeof body === "object" && "posts" in body ? body.posts : [body];
    if (!Array.isArray(items) || items.length === 0 || items.length > 100) {
      return reply(res, 400, { error: '"posts" must be a list of 1 to 100 posts' });
    }
    const ids = [];
    for (const raw of items) {
      const post = payload(raw);
      seq += 1;
      total += 1;
      perNetwork[post.network] = (perNetwork[post.network] ?? 0) + 1;
      recent.unshift(post);
      if (recent.length > SNAPSHOT_POSTS) recent.pop();
      io.to("screens").emit("post_added", { seq, post });
      ids.push(post.id);
    }
    reply(res, 202, { ids });
  });
});

const io = new Server(server, { cors: { origin: "*" } });
io.on("connection", (socket) => {
  socket.on("join_screen", (data, ack) => {
    if (typeof ack !== "function") return;
    if (!data || !["feed", "stats", "highlights"].includes(data.screen)) {
      return ack({ error: "screen must be one of feed, stats, highlights" });
    }
    socket.join("screens");
    ack({
      mode: "snapshot", seq, stats: stats(), version: "node-reference",
      posts: recent, highlights: [], paused: false,
    });
  });
  socket.on("heartbeat", (data, ack) => {
    if (typeof ack === "function") ack({ ok: true });
  });
});

server.listen(port, "127.0.0.1", () => {
  console.log(`Listening on http://127.0.0.1:${server.address().port}`);
});
const stop = () => io.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
