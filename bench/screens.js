/**
 * Benchmark load: many socket.io-client screens in one Node process, behaving
 * like socialwall's feed page (static/js/socket.js and screen.js): join with
 * an ack (retried after a timeout), a heartbeat every few seconds, events held
 * back while a join is in flight and applied once in seq order, single events
 * as well as `events` batches ({"events": [{"type", "seq", ...body}, ...]}).
 *
 * Posts sent by the benchmark driver carry "bench:<phase><n>:<send time ms>" in
 * their text; this process records, per phase, the latency from that send time
 * to the moment a screen applies the post (same machine, same clock).
 *
 * Driven by one-word commands on stdin; prints {"type": "ready"} once loaded, then
 * answers one JSON line each:
 *   go            connect every screen, then print {"type": "joined", ...}
 *   count         print {"type": "count", joined, rejoined, connected, delivered: {phase: n},
 *                 stale, batches}
 *   report P      print {"type": "report", phase, latencies, count, first, last}; reset P
 *   quit          disconnect and exit
 * Usage: node screens.js --url http://127.0.0.1:PORT --count 250 [--heartbeat 15000] [--name p0]
 */
"use strict";

const readline = require("node:readline");
const { io } = require("socket.io-client");

const JOIN_TIMEOUT_MS = 30000;
const RETRY_MS = 3000;
const LIVE_EVENTS = ["post_added", "post_updated", "post_removed", "stats_updated"];
const MARK = /bench:([a-z])(\d+):(\d+(?:\.\d+)?)/;

function arg(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}

const url = arg("url", "http://127.0.0.1:5000");
const count = Number(arg("count", "10"));
const heartbeatMs = Number(arg("heartbeat", "15000")); // as static/js/screen.js
const prefix = arg("name", "bench");
const now = () => performance.timeOrigin + performance.now();
const out = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

/** Per-phase figures: latencies (ms), deliveries, first and last arrival. */
const phases = new Map();
function phase(key) {
  let p = phases.get(key);
  if (!p) {
    p = { latencies: [], count: 0, first: null, last: null };
    phases.set(key, p);
  }
  return p;
}

let joined = 0;
let rejoined = 0; // joins acknowledged after a disconnect (a server restart): back on the wall
let joinErrors = 0;
let stale = 0;
let batches = 0;
let startedAt = 0;
let lastJoinAt = 0;
/** @type {any[]} */
const sockets = [];

/** Record a post a screen has just applied. */
function record(post) {
  const at = now();
  const match = typeof post?.text === "string" ? MARK.exec(post.text) : null;
  if (!match) return;
  const p = phase(match[1]);
  // Approvals ("a") are timed by the driver when it approves: keep [n, arrival] pairs.
  if (match[1] === "a") p.latencies.push([Number(match[2]), Math.round(at * 10) / 10]);
  else p.latencies.push(Math.round((at - Number(match[3])) * 10) / 10);
  p.count += 1;
  if (p.first === null) p.first = at;
  p.last = at;
}

/** Connect one screen and keep it in sync, as the feed page does. */
function screen(index) {
  const socket = io(url, {
    forceNew: true, reconnection: true, reconnectionDelay: 1000,
    reconnectionDelayMax: 5000, timeout: 20000,
    transports: ["websocket", "polling"], tryAllTransports: true,
  });
  const name = `${prefix}-${index}`;
  let lastSeq = null;
  let syncing = false;
  let generation = 0;
  let held = [];
  let hasJoined = false;
  let shown = 0;

  const apply = (type, event) => {
    if (!event || typeof event !== "object" || type === "stats_updated") return;
    if (typeof event.seq !== "number") return;
    if (lastSeq !== null && event.seq <= lastSeq) {
      stale += 1;
      return;
    }
    lastSeq = event.seq;
    if (type === "post_added" && event.post) {
      shown = Math.min(shown + 1, 24);
      record(event.post);
    }
  };
  const applyBatch = (frame) => {
    batches += 1;
    for (const event of frame?.events ?? []) apply(event.type, event);
  };
  const onSync = (ack) => {
    if (ack.mode === "snapshot") {
      lastSeq = typeof ack.seq === "number" ? ack.seq : null;
      shown = Math.min((ack.posts ?? []).length, 24);
    } else {
      for (const event of ack.events ?? []) apply(event.type, event);
      if (typeof ack.seq === "number" && (lastSeq === null || ack.seq > lastSeq)) lastSeq = ack.seq;
    }
  };
  const join = () => {
    const current = ++generation;
    syncing = true;
    socket.timeout(JOIN_TIMEOUT_MS).emit(
      "join_screen", { screen: "feed", name, since: lastSeq },
      (err, ack) => {
        if (current !== generation || !socket.connected) return;
        if (err || !ack || typeof ack !== "object" || ack.error) {
          joinErrors += 1;
          setTimeout(() => current === generation && socket.connected && join(), RETRY_MS);
          return;
        }
        onSync(ack);
        syncing = false;
        const replay = held;
        held = [];
        for (const [type, event] of replay) {
          if (type === "events") applyBatch(event);
          else apply(type, event);
        }
        if (hasJoined) rejoined += 1;
        if (!hasJoined) {
          hasJoined = true;
          joined += 1;
          lastJoinAt = now();
          if (joined === count) out({ type: "joined", joined, at: lastJoinAt, errors: joinErrors });
        }
      },
    );
  };
  for (const type of [...LIVE_EVENTS, "events"]) {
    socket.on(type, (event) => {
      if (syncing) held.push([type, event]);
      else if (type === "events") applyBatch(event);
      else apply(type, event);
    });
  }
  socket.on("connect", join);
  socket.on("disconnect", () => {
    generation += 1;
    syncing = false;
    held = [];
  });
  // Heartbeats spread over the interval, as screens started at different times.
  setTimeout(() => {
    const beat = () => socket.connected && socket.emit("heartbeat", { screen: "feed", name, shown });
    beat();
    socket.heartbeatTimer = setInterval(beat, heartbeatMs);
  }, Math.random() * heartbeatMs);
  return socket;
}

function report(key) {
  const p = phase(key);
  phases.delete(key);
  out({ type: "report", phase: key, latencies: p.latencies, count: p.count, first: p.first, last: p.last });
}

function quit() {
  for (const socket of sockets) {
    clearInterval(socket.heartbeatTimer);
    socket.disconnect();
  }
  setTimeout(() => process.exit(0), 200);
}

const commands = readline.createInterface({ input: process.stdin });
commands.on("line", (line) => {
  const [word, param] = line.trim().split(/\s+/);
  if (word === "go") {
    startedAt = now();
    for (let i = 0; i < count; i++) sockets.push(screen(i));
  } else if (word === "count") {
    const delivered = {};
    for (const [key, p] of phases) delivered[key] = p.count;
    out({ type: "count", joined, rejoined, connected: sockets.filter((s) => s.connected).length,
          errors: joinErrors, delivered, stale, batches, started: startedAt, lastJoin: lastJoinAt });
  } else if (word === "report") {
    report(param);
  } else if (word === "quit") {
    quit();
  }
});
commands.on("close", quit);
out({ type: "ready", count });
// Never outlive the driver by long: the harness bounds every run.
setTimeout(quit, Number(arg("lifetime", "900")) * 1000).unref();
