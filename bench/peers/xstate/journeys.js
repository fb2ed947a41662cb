#!/usr/bin/env node
// bench/peers/xstate/journeys.js — the "workflow engine" peer: the bench
// journeys (bench/journeys/*.journey) as xstate v5 state machines, one actor
// per user, every actor on one simulated clock that this program advances.
//
//   node journeys.js WORKLOAD EVENTS.ndjson OUTBOX.ndjson VERSION
//
// WORKLOAD is cart, onboarding or promo; VERSION is the journey's structural
// hash (message ids are VERSION:NODE:USER:RUN:SEQ, as journey-vm writes them, so
// the status events of the onboarding workload can name them). It behaves
// like `journey-vm run J --events EVENTS --outbox OUTBOX --until last-event`
// for these journeys, with the same semantics as bench/peers/lua/journeys.lua:
// events in timestamp order (the clock never goes backwards), every timer due
// at or before an event fires, in (deadline, order set) order, before the
// event is delivered; duplicate messageIds are dropped; the run stops at the
// last event.
//
// The waits, the status window, the inaction period and the journey timeout
// are xstate delayed transitions (`after`); xstate asks the actor's clock
// for them (createActor(machine, { clock })), and the clock here is a binary
// heap of timers on simulated time — nothing waits for real time, and the
// whole run is synchronous. Needs Node 20 and `npm ci` in this folder.

"use strict";

const fs = require("fs");
const { setup, createActor, assign } = require("xstate");

const [workload, eventsPath, outboxPath, versionArg] = process.argv.slice(2);
const version = versionArg || "0";
if (!workload || !eventsPath || !outboxPath) {
  process.stderr.write("usage: journeys.js cart|onboarding|promo EVENTS OUTBOX VERSION\n");
  process.exit(2);
}

const SEC = 1000; // xstate delays are in milliseconds; the clock counts ms
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// ------------------------------------------------------------------ time
const dayBase = new Map(); // "2026-11-23" -> epoch ms of its 00:00 UTC

function parseTime(s) {
  // "YYYY-MM-DDTHH:MM:SS…" as UTC, fractions ignored (as the Lua peer does)
  const day = s.slice(0, 10);
  let base = dayBase.get(day);
  if (base === undefined) {
    base = Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10));
    if (Number.isNaN(base)) return NaN;
    dayBase.set(day, base);
  }
  return base + (+s.slice(11, 13)) * HOUR + (+s.slice(14, 16)) * MIN + (+s.slice(17, 19)) * SEC;
}

let isoDay = -1;
let isoPrefix = "";
function iso(ms) {
  const day = Math.floor(ms / DAY);
  if (day !== isoDay) {
    isoDay = day;
    isoPrefix = new Date(day * DAY).toISOString().slice(0, 11); // "YYYY-MM-DDT"
  }
  const sec = Math.floor((ms - day * DAY) / SEC);
  const two = (n) => (n < 10 ? "0" + n : "" + n);
  return isoPrefix + two(Math.floor(sec / 3600)) + ":" + two(Math.floor((sec % 3600) / 60)) + ":" + two(sec % 60) + "Z";
}

// ------------------------------------------------------------------ the simulated clock
// A binary min-heap of timers ordered by (deadline, seq): setTimeout pushes
// one at now + delay; clearTimeout marks it dead (and drops its callback); a
// dead timer is skipped when it reaches the top, as in the Lua peer.
let now = 0;
let seqCounter = 0;
const heap = [];

function less(a, b) {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

function heapPush(t) {
  let i = heap.length;
  heap.push(t);
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!less(t, heap[p])) break;
    heap[i] = heap[p];
    i = p;
  }
  heap[i] = t;
}

function heapPop() {
  const top = heap[0];
  const last = heap.pop();
  const n = heap.length;
  if (n > 0) {
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && less(heap[c + 1], heap[c])) c++;
      if (!less(heap[c], last)) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = last;
  }
  return top;
}

const clock = {
  setTimeout(fn, delay) {
    const t = { deadline: now + delay, seq: ++seqCounter, fn, dead: false };
    heapPush(t);
    return t;
  },
  clearTimeout(t) {
    if (t) {
      t.dead = true;
      t.fn = null; // let the actor go now, not when the dead timer reaches the top
    }
  },
};

// Fires, in order, every timer due at or before `t`, each at its own instant.
function advanceTo(t) {
  while (heap.length > 0 && heap[0].deadline <= t) {
    const timer = heapPop();
    if (timer.dead) continue;
    timer.dead = true;
    now = timer.deadline;
    timer.fn();
  }
  now = t;
}

// ------------------------------------------------------------------ outbox
const outFd = fs.openSync(outboxPath, "w");
let outBuf = [];
let outLen = 0;
function writeOut(s) {
  outBuf.push(s);
  outLen += s.length;
  if (outLen > 1 << 20) flushOut();
}
function flushOut() {
  if (outBuf.length) fs.writeSync(outFd, outBuf.join(""));
  outBuf = [];
  outLen = 0;
}

let journeyName = "";
const enc = JSON.stringify;

// ------------------------------------------------------------------ the machines
// Context of every machine: the user, its run number (entries so far), the
// send sequence within the run, the last message id and the entry event's
// properties. The user's actor is created at its first entry event and
// dropped when the machine reaches its final state (reentry never: the user
// is then only remembered as done).
const users = new Map(); // user id -> actor, or DONE
const DONE = 0;

function makeSetup() {
  return setup({
    actions: {
      // enter the journey: a new run, the entry event's properties kept
      enter: assign(({ context, event }) => ({
        run: context.run + 1,
        seq: 0,
        entry: event.props,
      })),
      // a send: next message id, then the outbox record at the current time
      nextMessage: assign(({ context }, p) => ({
        seq: context.seq + 1,
        mid: version + ":" + p.node + ":" + context.user + ":" + context.run + ":" + (context.seq + 1),
      })),
      send: ({ context }, p) => {
        writeOut('{"time":"' + iso(now) + '","journey":' + enc(journeyName) + ',"version":"' + version +
                 '","node":"' + p.node + '","user":' + enc(context.user) + ',"channel":"' + p.channel +
                 '","message_id":' + enc(context.mid) + ',"content":' + p.content(context.entry) + "}\n");
      },
      // the user exits for good: forget the actor
      retire: ({ context }) => {
        users.set(context.user, DONE);
      },
    },
    guards: {
      usedCoupon: ({ event }) => event.props.coupon_code === "BIG20",
      clickedOurMessage: ({ context, event }) =>
        event.props.status === "clicked" && event.props.message_id === context.mid,
    },
  });
}

// the entry actions of a send node
function sendNode(node, channel, content) {
  return [{ type: "nextMessage", params: { node } }, { type: "send", params: { node, channel, content } }];
}

const initialContext = ({ input }) => ({ user: input.user, run: 0, seq: 0, mid: null, entry: null });

let machine;
let entryEvent;

if (workload === "cart") {
  journeyName = "Bench cart";
  entryEvent = "Added To Cart";
  machine = makeSetup().createMachine({
    id: "cart",
    context: initialContext,
    initial: "outside",
    states: {
      // entry: did "Added To Cart" and not did "Charged" within 15m
      outside: { on: { "Added To Cart": { target: "pending", actions: "enter" } } },
      pending: {
        after: { [15 * MIN]: "inside" },
        on: { Charged: "outside" }, // cancels the inaction entry
      },
      inside: {
        after: { [3 * DAY]: "done" }, // timeout 3d
        on: { Charged: "done" }, // goal purchased: exits at once, even mid-wait
        initial: "nudge",
        states: {
          nudge: {
            entry: sendNode("nudge", "push", (e) =>
              '{"title":"You left something behind","body":' + enc(e.product_name + " is still in your cart.") + "}"),
            after: { [1 * HOUR]: "reminder" }, // wait 1h
          },
          reminder: {
            entry: sendNode("reminder", "email", (e) =>
              '{"subject":"Your cart is waiting","text":' +
              enc(e.product_name + " (" + e.product_id + ") is still in your cart.") + "}"),
            after: { [12 * HOUR]: "last_call" }, // wait 12h
          },
          last_call: {
            entry: sendNode("last_call", "sms", (e) =>
              '{"text":' + enc("Last chance: " + e.product_name + " is still in your cart.") + "}"),
            always: "end",
          },
          // With a goal the end holds users until the goal or the timeout.
          end: {},
        },
      },
      done: { type: "final", entry: "retire" },
    },
  });
} else if (workload === "onboarding") {
  journeyName = "Bench onboarding";
  entryEvent = "Signed Up";
  machine = makeSetup().createMachine({
    id: "onboarding",
    context: initialContext,
    initial: "outside",
    states: {
      outside: { on: { "Signed Up": { target: "inside", actions: "enter" } } },
      inside: {
        after: { [5 * DAY]: "done" }, // timeout 5d
        initial: "welcome",
        states: {
          // window 8h on clicked -> engaged, timeout -> nudge
          welcome: {
            entry: sendNode("welcome", "email", (e) =>
              '{"subject":"Welcome aboard","text":' + enc("Thanks for signing up with " + e.method + ".") + "}"),
            on: { "journey.message": { guard: "clickedOurMessage", target: "engaged" } },
            after: { [8 * HOUR]: "nudge" },
          },
          engaged: { after: { [12 * HOUR]: "tips" } }, // wait 12h -> tips
          tips: {
            entry: sendNode("tips", "push", (e) =>
              '{"title":"Three tips","body":' +
              enc("Here is how to get the most out of your " + e.platform + " app.") + "}"),
            always: "end",
          },
          nudge: {
            entry: sendNode("nudge", "sms", () => '{"text":"You have not opened our welcome email yet."}'),
            always: "end",
          },
          end: { type: "final" },
        },
        onDone: "done",
      },
      done: { type: "final", entry: "retire" },
    },
  });
} else if (workload === "promo") {
  journeyName = "Bench promotion";
  entryEvent = "Campaign Joined";
  const step = (target) => ({ [6 * HOUR]: target }); // wait 6h
  machine = makeSetup().createMachine({
    id: "promo",
    context: initialContext,
    initial: "outside",
    states: {
      outside: { on: { "Campaign Joined": { target: "inside", actions: "enter" } } },
      inside: {
        after: { [2 * DAY]: "done" }, // timeout 2d
        // goal used_coupon: did "Charged" where coupon_code == "BIG20"
        on: { Charged: { guard: "usedCoupon", target: "done" } },
        initial: "mail",
        states: {
          mail: {
            entry: sendNode("mail", "email", (e) => '{"subject":' + enc("The " + e.campaign + " sale starts now") + "}"),
            after: step("chat"),
          },
          chat: {
            entry: sendNode("chat", "whatsapp", () => '{"template":"big_sale_coupon"}'),
            after: step("nudge"),
          },
          nudge: {
            entry: sendNode("nudge", "push", (e) =>
              '{"title":"20% off","body":' + enc("Use BIG20 in the " + e.campaign + " sale.") + "}"),
            after: step("text"),
          },
          text: {
            entry: sendNode("text", "sms", () => '{"text":"Ends soon: 20% off with BIG20."}'),
            after: step("crm"),
          },
          crm: {
            entry: sendNode("crm", "webhook", (e) =>
              '{"url":"https://crm.example.com/leads","body":' + enc('{"campaign": ' + enc(e.campaign) + " }") + "}"),
            always: "end",
          },
          // With a goal the end holds users until the goal or the timeout.
          end: {},
        },
      },
      done: { type: "final", entry: "retire" },
    },
  });
} else {
  process.stderr.write("journeys.js: unknown workload " + workload + "\n");
  process.exit(2);
}

// Delivers a track event to the user's actor; the entry event creates it.
function deliver(user, name, props) {
  let actor = users.get(user);
  if (actor === DONE) return; // reentry never: exited users are not entered again
  if (actor === undefined) {
    if (name !== entryEvent) return; // not in the journey and not entering it
    actor = createActor(machine, { clock, input: { user } });
    users.set(user, actor);
    actor.start();
  }
  actor.send({ type: name, props });
}

// ------------------------------------------------------------------ events in
const seen = new Set(); // messageIds seen (duplicates are dropped)
let last = null;
let read = 0, applied = 0, malformed = 0, duplicate = 0;

function onLine(line) {
  read++;
  let ev;
  try {
    ev = JSON.parse(line);
  } catch (_) {
    malformed++;
    return;
  }
  if (ev === null || typeof ev !== "object" || typeof ev.timestamp !== "string") {
    malformed++;
    return;
  }
  const mid = ev.messageId;
  if (mid !== undefined && mid !== null) {
    if (seen.has(mid)) {
      duplicate++;
      return;
    }
    seen.add(mid);
  }
  let t = parseTime(ev.timestamp);
  if (Number.isNaN(t)) {
    malformed++;
    return;
  }
  if (last !== null && t < last) t = last; // the clock never goes backwards
  advanceTo(t);
  last = t;
  applied++;
  if (ev.type === "track" && ev.userId) {
    const props = ev.properties && typeof ev.properties === "object" ? ev.properties : {};
    deliver(ev.userId, ev.event, props);
  }
}

// read the events in 1 MB chunks, synchronously (the whole run is synchronous)
const inFd = fs.openSync(eventsPath, "r");
const chunk = Buffer.allocUnsafe(1 << 20);
let rest = null; // bytes after the last newline so far
for (;;) {
  const n = fs.readSync(inFd, chunk, 0, chunk.length, null);
  if (n === 0) break;
  // cut at the last newline of the chunk so no UTF-8 sequence is split
  const lastNl = chunk.lastIndexOf(10, n - 1);
  if (lastNl < 0) { // a line longer than the chunk: keep collecting
    rest = rest ? Buffer.concat([rest, chunk.subarray(0, n)]) : Buffer.from(chunk.subarray(0, n));
    continue;
  }
  const head = chunk.toString("utf8", 0, lastNl);
  const text = rest ? rest.toString("utf8") + head : head;
  rest = lastNl + 1 < n ? Buffer.from(chunk.subarray(lastNl + 1, n)) : null;
  let start = 0;
  for (;;) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) {
      onLine(text.slice(start));
      break;
    }
    onLine(text.slice(start, nl));
    start = nl + 1;
  }
}
if (rest) onLine(rest.toString("utf8"));
fs.closeSync(inFd);
if (last !== null) advanceTo(last); // --until last-event
flushOut();
fs.closeSync(outFd);
process.stderr.write(`events read ${read} applied ${applied} malformed ${malformed} duplicate ${duplicate}\n`);
