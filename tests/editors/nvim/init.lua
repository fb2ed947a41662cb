-- Headless Neovim test of editors/nvim/journey.lua against the real server.
--
-- Run by run.sh as
--   nvim --headless --clean -u tests/editors/nvim/init.lua
-- with JOURNEYC (the journeyc binary), JOURNEY_ROOT (the source tree) and
-- JOURNEY_WORK (a scratch directory) in the environment. It
--   1. opens a broken copy of examples/abandoned_cart.journey (a connector to
--      a misspelt node) and waits for the server's diagnostics: J0101 (error)
--      on the connector and J0301 (warning) on the node now unreachable;
--   2. asks for hover on a node name and checks the node summary;
--   3. formats an unformatted file with vim.lsp.buf.formatting_sync and
--      compares the buffer with `journeyc fmt`;
-- writes what happened to $JOURNEY_WORK/results.txt and exits non-zero on
-- any failure. Every wait is bounded (a few seconds).

local TIMEOUT = 8000 -- ms, for each wait

local journeyc = os.getenv("JOURNEYC")
local root = os.getenv("JOURNEY_ROOT")
local work = os.getenv("JOURNEY_WORK")

local results = {}
local failures = 0

local function log(msg)
  table.insert(results, msg)
end

local function check(ok, what, detail)
  if ok then
    log("ok   " .. what)
  else
    failures = failures + 1
    log("FAIL " .. what .. (detail and (": " .. detail) or ""))
  end
  return ok
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local function finish()
  log(string.format("%d failure(s)", failures))
  if work then
    write(work .. "/results.txt", table.concat(results, "\n") .. "\n")
  end
  io.stdout:write(table.concat(results, "\n") .. "\n")
  -- Stop the server before leaving so no process is left behind.
  for _, client in pairs(vim.lsp.get_active_clients()) do
    client.stop()
  end
  vim.wait(2000, function()
    return #vim.lsp.get_active_clients() == 0
  end, 20)
  if failures == 0 then
    vim.cmd("qall!")
  else
    vim.cmd("cquit!")
  end
end

-- 1-based line number of the first line containing `needle` (plain text).
local function line_of(text, needle)
  local n = 0
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    n = n + 1
    if line:find(needle, 1, true) then
      return n, line
    end
  end
  return nil
end

local function run()
  assert(journeyc and root and work, "JOURNEYC, JOURNEY_ROOT and JOURNEY_WORK must be set")
  package.path = root .. "/editors/nvim/?.lua;" .. package.path
  local journey = require("journey")
  journey.setup({ cmd = { journeyc, "lsp" }, root_dir = work })
  log("nvim " .. tostring(vim.version().major) .. "." .. tostring(vim.version().minor) .. "." .. tostring(vim.version().patch))

  -- 1. Diagnostics on a broken copy of an example.
  local original = read(root .. "/examples/abandoned_cart.journey")
  local broken, n = original:gsub("wait 30m %-> cart_reminder", "wait 30m -> cart_remindr", 1)
  assert(n == 1, "examples/abandoned_cart.journey changed: `wait 30m -> cart_reminder` not found")
  local broken_path = work .. "/broken.journey"
  write(broken_path, broken)

  vim.cmd("edit " .. vim.fn.fnameescape(broken_path))
  local buf = vim.api.nvim_get_current_buf()
  check(vim.bo[buf].filetype == "journey", "filetype is journey", vim.bo[buf].filetype)
  local attached = vim.wait(TIMEOUT, function()
    return next(vim.lsp.buf_get_clients(buf)) ~= nil
  end, 20)
  if not check(attached, "client attached to the broken buffer") then
    return
  end

  local got = vim.wait(TIMEOUT, function()
    return #vim.diagnostic.get(buf) > 0
  end, 20)
  if not check(got, "diagnostics arrived") then
    return
  end
  local diags = vim.diagnostic.get(buf)
  table.sort(diags, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  for _, d in ipairs(diags) do
    log(string.format("     diagnostic %d:%d %s %s %s", d.lnum + 1, d.col + 1,
      tostring(d.code), vim.diagnostic.severity[d.severity] or tostring(d.severity), (d.message:gsub("\n", "\\n"))))
  end

  local function find(code, lnum, col, severity)
    for _, d in ipairs(diags) do
      if d.code == code and d.lnum == lnum and d.col == col and d.severity == severity then
        return d
      end
    end
    return nil
  end
  local bad_line, bad_text = line_of(broken, "-> cart_remindr")
  local bad_col = bad_text:find("cart_remindr", 1, true) - 1
  local d = find("J0101", bad_line - 1, bad_col, vim.diagnostic.severity.ERROR)
  check(d ~= nil, string.format("J0101 error at %d:%d", bad_line, bad_col + 1))
  if d then
    check(d.source == "journeyc", "diagnostic source is journeyc", tostring(d.source))
    check(d.message:find("cart_remindr", 1, true) ~= nil, "J0101 names the missing node", d.message)
    local lsp = d.user_data and d.user_data.lsp or {}
    local href = lsp.codeDescription and lsp.codeDescription.href or ""
    check(href:find("#j0101", 1, true) ~= nil, "J0101 links to its documentation", href)
  end
  local node_line, node_text = line_of(broken, "node cart_reminder:")
  local node_col = node_text:find("cart_reminder", 1, true) - 1
  check(find("J0301", node_line - 1, node_col, vim.diagnostic.severity.WARN) ~= nil,
    string.format("J0301 warning at %d:%d", node_line, node_col + 1))
  local errors = #vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR })
  check(errors == 1, "exactly one error", tostring(errors))

  -- An edit that fixes the typo clears the error (didChange -> new diagnostics).
  vim.api.nvim_buf_set_lines(buf, bad_line - 1, bad_line, false, { (bad_text:gsub("cart_remindr", "cart_reminder")) })
  local cleared = vim.wait(TIMEOUT, function()
    return #vim.diagnostic.get(buf) == 0
  end, 20)
  check(cleared, "fixing the typo clears the diagnostics", tostring(#vim.diagnostic.get(buf)) .. " left")

  -- 2. Hover on a node name (the definition `node coupon_email:`).
  local hl, htext = line_of(broken, "node coupon_email:")
  local hcol = htext:find("coupon_email", 1, true) + 2 -- inside the name
  vim.api.nvim_win_set_cursor(0, { hl, hcol })
  local params = vim.lsp.util.make_position_params()
  local responses = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, TIMEOUT)
  local value = ""
  for _, r in pairs(responses or {}) do
    if r.result and r.result.contents then
      value = r.result.contents.value or ""
    end
  end
  log("     hover: " .. value:gsub("\n", "\\n"))
  check(value:find("**node** `coupon_email`: send email", 1, true) ~= nil, "hover shows the node summary", value)
  check(value:find("`came_back`", 1, true) ~= nil, "hover lists the connector to came_back", value)

  -- 3. Formatting an unformatted file.
  local messy = table.concat({
    'event "Charged" {amount:number,   currency:string}',
    "profile{first_name:string}",
    'journey "Messy"{',
    'entry did "Charged"   where amount>500',
    "  start->thanks",
    '      node thanks:send push{title:"Thanks, {{ profile.first_name | default \\"friend\\" }}"  body:"Enjoy"}->later',
    "node later : wait 1h30m -> end   // a comment",
    "}",
    "",
  }, "\n")
  local messy_path = work .. "/messy.journey"
  write(messy_path, messy)
  local want = vim.fn.system({ journeyc, "fmt", messy_path })
  check(vim.v.shell_error == 0, "journeyc fmt formats the messy file", want)
  check(want ~= messy, "the messy file is not formatted yet")

  vim.cmd("edit " .. vim.fn.fnameescape(messy_path))
  local mbuf = vim.api.nvim_get_current_buf()
  check(vim.wait(TIMEOUT, function()
    return next(vim.lsp.buf_get_clients(mbuf)) ~= nil
  end, 20), "client attached to the messy buffer")
  check(journey.client_id() ~= nil and #vim.lsp.get_active_clients() == 1, "both buffers share one client")
  vim.lsp.buf.formatting_sync(nil, TIMEOUT)
  local text = table.concat(vim.api.nvim_buf_get_lines(mbuf, 0, -1, false), "\n") .. "\n"
  check(text == want, "formatting gives the journeyc fmt layout", "\n--- buffer\n" .. text .. "--- journeyc fmt\n" .. want)
  check(#vim.diagnostic.get(mbuf) == 0, "the formatted file has no diagnostics")
end

vim.api.nvim_create_autocmd("VimEnter", {
  once = true,
  nested = true, -- so `:edit` inside fires the filetype autocommands
  callback = function()
    local ok, err = xpcall(run, debug.traceback)
    if not ok then
      check(false, "test script error", tostring(err))
    end
    finish()
  end,
})
