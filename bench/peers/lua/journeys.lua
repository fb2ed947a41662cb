-- bench/peers/lua/journeys.lua — the "script it yourself" peer: the bench
-- journeys (bench/journeys/*.journey) written by hand in Lua, one coroutine
-- per user and a binary timer heap, on the same virtual clock as journey-vm.
--
--   lua5.4 journeys.lua WORKLOAD EVENTS.ndjson OUTBOX.ndjson VERSION
--   luajit journeys.lua WORKLOAD EVENTS.ndjson OUTBOX.ndjson VERSION
--
-- WORKLOAD is cart, onboarding or promo; VERSION is the journey's structural
-- hash (message ids are VERSION:NODE:USER:RUN:SEQ, as journey-vm writes them, so
-- the status events of the onboarding workload can name them). It behaves
-- like `journey-vm run J --events EVENTS --outbox OUTBOX --until last-event`
-- for these journeys: events in timestamp order, every timer due at or
-- before an event fires before the event is applied, duplicate messageIds
-- are dropped, and the run stops at the last event. Runs on Lua 5.1
-- (LuaJIT) to 5.4; needs lua-cjson.

local cjson = require("cjson")
local decode, encode = cjson.decode, cjson.encode
local floor = math.floor
local format = string.format
local co_create, co_resume, co_status = coroutine.create, coroutine.resume, coroutine.status
local yield = coroutine.yield

local workload, events_path, outbox_path, version = arg[1], arg[2], arg[3], arg[4] or "0"
if not (workload and events_path and outbox_path) then
  io.stderr:write("usage: journeys.lua cart|onboarding|promo EVENTS OUTBOX VERSION\n")
  os.exit(2)
end

---------------------------------------------------------------- time
local day_epoch = {}   -- "2026-11-23" -> epoch seconds of its 00:00 UTC
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + floor(yoe / 4) - floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

local function parse_time(s)   -- "YYYY-MM-DDTHH:MM:SSZ" (fractions ignored)
  local day = s:sub(1, 10)
  local base = day_epoch[day]
  if not base then
    base = days_from_civil(tonumber(s:sub(1, 4)), tonumber(s:sub(6, 7)), tonumber(s:sub(9, 10))) * 86400
    day_epoch[day] = base
  end
  return base + tonumber(s:sub(12, 13)) * 3600 + tonumber(s:sub(15, 16)) * 60 + tonumber(s:sub(18, 19))
end

local iso_day, iso_prefix = nil, nil
local function iso(t)
  local day = floor(t / 86400)
  if day ~= iso_day then
    iso_day = day
    iso_prefix = os.date("!%Y-%m-%dT", day * 86400)
  end
  local sec = t - day * 86400
  return format("%s%02d:%02d:%02dZ", iso_prefix, floor(sec / 3600), floor(sec % 3600 / 60), sec % 60)
end

---------------------------------------------------------------- timer heap
-- Parallel arrays; ordered by (deadline, seq). A timer names an instance
-- and carries that instance's generation, so cancelling is lazy: a timer
-- whose instance has moved on or exited is skipped when it comes up.
local hd, hs, hi, hg = {}, {}, {}, {}
local hn, hseq = 0, 0

local function push(deadline, inst, gen)
  hn = hn + 1; hseq = hseq + 1
  local seq = hseq
  local i = hn
  while i > 1 do                       -- sift the hole up
    local p = floor(i / 2)
    local pd = hd[p]
    if pd < deadline or (pd == deadline and hs[p] < seq) then break end
    hd[i], hs[i], hi[i], hg[i] = pd, hs[p], hi[p], hg[p]
    i = p
  end
  hd[i], hs[i], hi[i], hg[i] = deadline, seq, inst, gen
end

local function pop()
  local d, inst, gen = hd[1], hi[1], hg[1]
  local ld, ls, li, lg = hd[hn], hs[hn], hi[hn], hg[hn]
  hd[hn], hs[hn], hi[hn], hg[hn] = nil, nil, nil, nil
  hn = hn - 1
  if hn > 0 then
    local i = 1
    while true do                      -- sift the hole down
      local c = 2 * i
      if c > hn then break end
      local cd, cs = hd[c], hs[c]
      if c < hn then
        local rd, rs = hd[c + 1], hs[c + 1]
        if rd < cd or (rd == cd and rs < cs) then c = c + 1; cd, cs = rd, rs end
      end
      if ld < cd or (ld == cd and ls < cs) then break end
      hd[i], hs[i], hi[i], hg[i] = cd, cs, hi[c], hg[c]
      i = c
    end
    hd[i], hs[i], hi[i], hg[i] = ld, ls, li, lg
  end
  return d, inst, gen
end

---------------------------------------------------------------- engine
local out = assert(io.open(outbox_path, "w"))
local now = 0
local journey_name
local users = {}        -- user id -> state: runs, inst (live instance), pending inaction
local by_message = {}   -- message id -> instance waiting for its status

-- An instance: { user=, co=, gen=, seq=, run=, entry=, wait_msg= }
local function send(inst, node, channel, content)
  inst.seq = inst.seq + 1
  local mid = version .. ":" .. node .. ":" .. inst.user .. ":" .. inst.run .. ":" .. inst.seq
  out:write('{"time":"', iso(now), '","journey":', encode(journey_name), ',"version":"', version,
            '","node":"', node, '","user":', encode(inst.user), ',"channel":"', channel,
            '","message_id":', encode(mid), ',"content":', content, "}\n")
  return mid
end

local function wait(inst, seconds)
  inst.gen = inst.gen + 1
  push(now + seconds, inst, inst.gen)
  return yield()
end

-- Waits for a status of message mid, up to window seconds; returns the
-- status, or "timeout".
local function wait_status(inst, mid, window)
  inst.gen = inst.gen + 1
  inst.wait_msg = mid
  by_message[mid] = inst
  push(now + window, inst, inst.gen)
  local why = yield()
  by_message[mid] = nil
  inst.wait_msg = nil
  return why
end

local function exit_instance(inst)
  inst.gen = inst.gen + 1
  inst.dead = true
  if inst.wait_msg then by_message[inst.wait_msg] = nil end
  local st = users[inst.user]
  if st.inst == inst then st.inst = nil end
end

local holds_at_end   -- the journey has goals: the end keeps users until a goal or the timeout

local function resume(inst, why)
  local ok, err = co_resume(inst.co, why)
  if not ok then error(err) end
  if co_status(inst.co) == "dead" then
    if holds_at_end then
      inst.co = nil   -- at the end: only the goal or the timeout takes them out
    else
      exit_instance(inst)
    end
  end
end

local flow           -- function(inst): the journey's flow, run in the coroutine
local journey_timeout

local TIMEOUT = {}   -- marker instance kind for the journey timeout
local function enter(st, user, entry)
  st.runs = (st.runs or 0) + 1
  local inst = { user = user, gen = 0, seq = 0, run = st.runs, entry = entry }
  inst.co = co_create(flow)
  st.inst = inst
  -- the journey timeout exits the instance wherever it is
  push(now + journey_timeout, { timeout_of = inst }, 0)
  resume(inst, inst)
end

local function fire(inst, gen)
  local target = inst.timeout_of
  if target then
    if not target.dead then exit_instance(target) end
    return
  end
  if inst.pending_of then              -- an inaction entry's time has come
    local st = inst.pending_of
    if st.pending == inst then
      st.pending = nil
      enter(st, inst.user, inst.entry)
    end
    return
  end
  if inst.dead or inst.gen ~= gen then return end
  resume(inst, "timeout")
end

local function run_timers(t)
  while hn > 0 and hd[1] <= t do
    local d, inst, gen = pop()
    now = d
    fire(inst, gen)
  end
end

local function state(user)
  local st = users[user]
  if not st then st = {}; users[user] = st end
  return st
end

---------------------------------------------------------------- journeys
local on_track   -- function(user, event, properties)

if workload == "cart" then
  journey_name = "Bench cart"
  journey_timeout = 3 * 86400
  holds_at_end = true
  flow = function(inst)
    local e = inst.entry
    send(inst, "nudge", "push", '{"title":"You left something behind","body":'
         .. encode(e.product_name .. " is still in your cart.") .. "}")
    wait(inst, 3600)
    send(inst, "reminder", "email", '{"subject":"Your cart is waiting","text":'
         .. encode(e.product_name .. " (" .. e.product_id .. ") is still in your cart.") .. "}")
    wait(inst, 12 * 3600)
    send(inst, "last_call", "sms", '{"text":'
         .. encode("Last chance: " .. e.product_name .. " is still in your cart.") .. "}")
  end
  on_track = function(user, event, props)
    local st = state(user)
    if event == "Charged" then
      if st.inst then exit_instance(st.inst) end     -- goal: purchased
      st.pending = nil                                 -- cancels the inaction
    elseif event == "Added To Cart" then
      -- reentry never: one run; an add while pending or inside is ignored
      if not st.inst and not st.pending and not st.runs then
        local p = { user = user, entry = props, pending_of = st }
        st.pending = p
        push(now + 900, p, 0)
      end
    end
  end
elseif workload == "onboarding" then
  journey_name = "Bench onboarding"
  journey_timeout = 5 * 86400
  flow = function(inst)
    local e = inst.entry
    local mid = send(inst, "welcome", "email", '{"subject":"Welcome aboard","text":'
                     .. encode("Thanks for signing up with " .. e.method .. ".") .. "}")
    if wait_status(inst, mid, 8 * 3600) == "clicked" then
      wait(inst, 12 * 3600)
      send(inst, "tips", "push", '{"title":"Three tips","body":'
           .. encode("Here is how to get the most out of your " .. e.platform .. " app.") .. "}")
    else
      send(inst, "nudge", "sms", '{"text":"You have not opened our welcome email yet."}')
    end
  end
  on_track = function(user, event, props)
    if event == "journey.message" then
      local inst = by_message[props.message_id]
      if inst and props.status == "clicked" and inst.user == user then resume(inst, "clicked") end
    elseif event == "Signed Up" then
      local st = state(user)
      if not st.runs then enter(st, user, props) end
    end
  end
elseif workload == "promo" then
  journey_name = "Bench promotion"
  journey_timeout = 2 * 86400
  holds_at_end = true
  flow = function(inst)
    local e = inst.entry
    send(inst, "mail", "email", '{"subject":' .. encode("The " .. e.campaign .. " sale starts now") .. "}")
    wait(inst, 6 * 3600)
    send(inst, "chat", "whatsapp", '{"template":"big_sale_coupon"}')
    wait(inst, 6 * 3600)
    send(inst, "nudge", "push", '{"title":"20% off","body":'
         .. encode("Use BIG20 in the " .. e.campaign .. " sale.") .. "}")
    wait(inst, 6 * 3600)
    send(inst, "text", "sms", '{"text":"Ends soon: 20% off with BIG20."}')
    wait(inst, 6 * 3600)
    send(inst, "crm", "webhook", '{"url":"https://crm.example.com/leads","body":'
         .. encode('{"campaign": ' .. encode(e.campaign) .. " }") .. "}")
  end
  on_track = function(user, event, props)
    local st = state(user)
    if event == "Charged" then
      if st.inst and props.coupon_code == "BIG20" then exit_instance(st.inst) end
    elseif event == "Campaign Joined" then
      if not st.runs then enter(st, user, props) end
    end
  end
else
  io.stderr:write("journeys.lua: unknown workload " .. workload .. "\n")
  os.exit(2)
end

---------------------------------------------------------------- events in
local seen = {}        -- messageId -> true (duplicates are dropped)
local last = nil
local read, applied, malformed, duplicate = 0, 0, 0, 0
for line in io.lines(events_path) do
  read = read + 1
  local ok, ev = pcall(decode, line)
  if not ok or type(ev) ~= "table" or type(ev.timestamp) ~= "string" then
    malformed = malformed + 1
  else
    local mid = ev.messageId
    if mid and seen[mid] then
      duplicate = duplicate + 1
    else
      if mid then seen[mid] = true end
      local t = parse_time(ev.timestamp)
      if last and t < last then t = last end   -- the clock never goes backwards
      run_timers(t)
      now = t
      last = t
      applied = applied + 1
      if ev.type == "track" and ev.userId then
        on_track(ev.userId, ev.event, ev.properties or {})
      end
    end
  end
end
if last then run_timers(last) end   -- --until last-event
out:close()
io.stderr:write(format("events read %d applied %d malformed %d duplicate %d\n", read, applied, malformed, duplicate))
