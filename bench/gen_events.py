#!/usr/bin/env python3
"""gen_events.py — deterministic Segment NDJSON workloads for the benchmarks.

    bench/gen_events.py WORKLOAD USERS [--seed S] [-o FILE] [--version HEX]

WORKLOAD is one of:

  cart        bench/journeys/cart.journey: every user adds to cart once;
              1/3 buy within 1..14 minutes (the inaction entry never fires),
              1/6 buy later (the goal exits them mid-journey), the rest never
              buy.
  onboarding  bench/journeys/onboarding.journey: every user signs up; 85% of
              welcome emails are `delivered`, 40% of users `clicked` within
              the 8-hour window, 5% click after it has ended. Status events
              name the outbox's message id `VERSION:welcome:USER:1:1`; VERSION is the
              journey's structural hash (--version, else asked of journeyc).
  promo       bench/journeys/promo.journey: every user joins the campaign;
              10% buy with the coupon (goal), 5% buy without it.

Arrivals are spread evenly over one day from 2026-11-23T00:00:00Z and the
stream ends with that day (later events are dropped), so with `journey-vm
run --until last-event` most users who entered are still waiting at the
end: that is what the bytes-per-suspended-user figure needs. Later events
are merged in with a heap so the output is sorted by timestamp and memory
stays bounded by the users still active, even at 10,000,000 users. Same
arguments, same bytes. Standard library only.
"""

import argparse
import heapq
import os
import random
import re
import subprocess
import sys

BASE = 1795392000  # 2026-11-23T00:00:00Z
SPAN = 86400       # arrivals spread over one day

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

PRODUCTS = [
    ("SKU-10001", "Bamboo Bath Towel Set", 1299),
    ("SKU-10002", "Handwoven Jute Rug 5x7", 3499),
    ("SKU-10003", "Cast Iron Dutch Oven 5.2L", 6290),
    ("SKU-10004", "Linen Blackout Curtains (Pair)", 2199),
    ("SKU-10005", "Ceramic Pour-Over Set", 899),
    ("SKU-10006", "Cotton Throw Blanket", 1599),
    ("SKU-10007", "Stoneware Dinner Plates x4", 2450),
    ("SKU-10008", "Brass Table Lamp", 4100),
]
METHODS = ["email", "google", "apple"]
PLATFORMS = ["android", "ios", "web"]
CAMPAIGNS = ["Big Week", "Winter Warmers", "Home Refresh"]


class Clock:
    """Epoch seconds to ISO-8601 text, cached per day."""

    def __init__(self):
        self.day = None
        self.prefix = ""

    def iso(self, t):
        day, sec = divmod(t, 86400)
        if day != self.day:
            import datetime
            d = datetime.datetime.fromtimestamp(day * 86400, datetime.timezone.utc)
            self.prefix = d.strftime("%Y-%m-%dT")
            self.day = day
        h, rem = divmod(sec, 3600)
        m, s = divmod(rem, 60)
        return "%s%02d:%02d:%02dZ" % (self.prefix, h, m, s)


def structural_hash(journey):
    journeyc = os.environ.get("JOURNEYC", os.path.join(ROOT, "build/compiler/journeyc"))
    out = subprocess.run([journeyc, "compile", journey, "--emit=asm"],
                         check=True, capture_output=True, text=True).stdout
    m = re.search(r"; hashes: structure ([0-9a-f]+)", out)
    if not m:
        sys.exit("gen_events.py: no '; hashes: structure' line from journeyc")
    return m.group(1)


def avoid(offset, forbidden):
    """Moves an offset off timer instants so no event ties with the user's
    own timers (the order of a tie is not what the benchmark measures)."""
    while offset in forbidden:
        offset += 7
    return offset


def cart_user(rng, uid, t):
    pid, name, price = PRODUCTS[rng.randrange(len(PRODUCTS))]
    out = [(t, '{"type":"track","userId":"%s","event":"Added To Cart","properties":'
               '{"product_id":"%s","product_name":"%s","price":%d},"timestamp":"%%s","messageId":"%%s"}'
               % (uid, pid, name, price))]
    r = rng.random()
    if r < 1 / 3:
        off = rng.randrange(60, 841)  # within the 15 minutes: never enters
    elif r < 1 / 2:
        # later: enters, then the goal exits it mid-journey (timers at
        # +15m, +1h15m, +13h15m; the journey timeout at +3d15m)
        off = avoid(rng.randrange(901, 30 * 3600), {900, 4500, 47700})
    else:
        return out
    out.append((t + off, '{"type":"track","userId":"%s","event":"Charged","properties":'
                         '{"order_id":"NST-%d","amount":%d},"timestamp":"%%s","messageId":"%%s"}'
                % (uid, rng.randrange(1000000, 9999999), price)))
    return out


def onboarding_user(rng, uid, t, version):
    method = METHODS[rng.randrange(3)]
    platform = PLATFORMS[rng.randrange(3)]
    out = [(t, '{"type":"track","userId":"%s","event":"Signed Up","properties":'
               '{"method":"%s","platform":"%s"},"timestamp":"%%s","messageId":"%%s"}'
               % (uid, method, platform))]
    mid = "%s:welcome:%s:1:1" % (version, uid)
    status = ('{"type":"track","userId":"%s","event":"journey.message","properties":'
              '{"message_id":"%s","status":"%%s"},"timestamp":"%%%%s","messageId":"%%%%s"}' % (uid, mid))
    r = rng.random()
    if r < 0.85:
        d = rng.randrange(5, 300)
        out.append((t + d, status % "delivered"))
        c = rng.random()
        if c < 0.40 / 0.85:
            out.append((t + avoid(rng.randrange(d + 1, 8 * 3600), {8 * 3600}), status % "clicked"))
        elif c < 0.45 / 0.85:
            out.append((t + rng.randrange(8 * 3600 + 1, 20 * 3600), status % "clicked"))
    return out


def promo_user(rng, uid, t):
    campaign = CAMPAIGNS[rng.randrange(len(CAMPAIGNS))]
    out = [(t, '{"type":"track","userId":"%s","event":"Campaign Joined","properties":'
               '{"campaign":"%s"},"timestamp":"%%s","messageId":"%%s"}' % (uid, campaign))]
    r = rng.random()
    if r < 0.15:
        coupon = "BIG20" if r < 0.10 else "WELCOME5"
        off = avoid(rng.randrange(1, 26 * 3600), {0, 21600, 43200, 64800, 86400})
        out.append((t + off, '{"type":"track","userId":"%s","event":"Charged","properties":'
                             '{"order_id":"NST-%d","amount":%d,"coupon_code":"%s"},'
                             '"timestamp":"%%s","messageId":"%%s"}'
                    % (uid, rng.randrange(1000000, 9999999), rng.randrange(300, 9000), coupon)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("workload", choices=["cart", "onboarding", "promo"])
    ap.add_argument("users", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--version", help="structural hash of bench/journeys/onboarding.journey")
    a = ap.parse_args()
    if a.users < 1:
        sys.exit("gen_events.py: USERS must be at least 1")

    version = None
    if a.workload == "onboarding":
        version = a.version or structural_hash(os.path.join(HERE, "journeys/onboarding.journey"))

    rng = random.Random("%s:%d:%d" % (a.workload, a.users, a.seed))
    clock = Clock()
    out = sys.stdout if a.output == "-" else open(a.output, "w", buffering=1 << 20)
    write = out.write
    prefix = a.workload[:2]
    heap = []
    seq = 0
    emitted = 0

    def emit(t, line):
        nonlocal emitted
        emitted += 1
        write(line % (clock.iso(t), "%s-%d" % (prefix, emitted)))
        write("\n")

    n = a.users
    for u in range(n):
        t = BASE + (u * SPAN) // n
        while heap and heap[0][0] <= t:
            tt, _, line = heapq.heappop(heap)
            emit(tt, line)
        uid = "u%d" % u
        if a.workload == "cart":
            evs = cart_user(rng, uid, t)
        elif a.workload == "onboarding":
            evs = onboarding_user(rng, uid, t, version)
        else:
            evs = promo_user(rng, uid, t)
        emit(*evs[0])
        for tt, line in evs[1:]:
            if tt >= BASE + SPAN:
                continue
            seq += 1
            heapq.heappush(heap, (tt, seq, line))
    while heap:
        tt, _, line = heapq.heappop(heap)
        emit(tt, line)
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
