-- journey.lua — Journey support for Neovim 0.7 and later.
--
-- Detects *.journey / *.jstd files, sets comment and indent options, and
-- connects every Journey buffer to the language server built into the
-- compiler (`journeyc lsp`). Written for the API of Neovim 0.7 (Debian 12
-- ships 0.7.2), which has `vim.lsp.start_client` but not `vim.lsp.start`:
-- one client is started on the first Journey buffer and every later buffer
-- is attached to it with `vim.lsp.buf_attach_client`.
--
-- Put this file on your 'runtimepath' under lua/ (or add its folder to
-- package.path) and call, in init.lua:
--
--   require("journey").setup({
--     cmd = { "journeyc", "lsp" },           -- or { "/path/to/journeyc", "lsp" }
--     diagnostics_docs_url = nil,             -- e.g. "https://example.com/diagnostics.md"
--     on_attach = function(client, bufnr) end,
--   })
--
-- Syntax highlighting comes from editors/vim (add it to 'runtimepath').

local M = {}

local defaults = {
  cmd = { "journeyc", "lsp" },
  diagnostics_docs_url = nil,
  on_attach = nil,
  capabilities = nil,
  root_dir = nil, -- default: the directory Neovim was started in
}

local config = vim.deepcopy(defaults)
local client_id = nil

-- The running client, or nil when it was never started or has stopped.
local function live_client()
  if not client_id then
    return nil
  end
  local client = vim.lsp.get_client_by_id(client_id)
  if client == nil or client.is_stopped() then
    client_id = nil
    return nil
  end
  return client
end

local function start_client()
  local init_options = {}
  if config.diagnostics_docs_url then
    init_options.diagnosticsDocsUrl = config.diagnostics_docs_url
  end
  local id = vim.lsp.start_client({
    name = "journeyc",
    cmd = config.cmd,
    root_dir = config.root_dir or vim.fn.getcwd(),
    init_options = init_options,
    capabilities = config.capabilities,
    on_attach = config.on_attach,
    on_exit = function()
      client_id = nil
    end,
  })
  if not id then
    vim.notify("journey: could not start " .. table.concat(config.cmd, " "), vim.log.levels.ERROR)
  end
  return id
end

-- Attaches the Journey language server to a buffer, starting it if needed;
-- returns the client id (nil when the server could not start).
function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if not live_client() then
    client_id = start_client()
  end
  if client_id then
    vim.lsp.buf_attach_client(bufnr, client_id)
  end
  return client_id
end

-- The client id of the running server (nil if none).
function M.client_id()
  return live_client() and client_id or nil
end

local function buffer_options(bufnr)
  vim.api.nvim_buf_set_option(bufnr, "commentstring", "// %s")
  vim.api.nvim_buf_set_option(bufnr, "comments", "s1:/*,mb:*,ex:*/,://")
  vim.api.nvim_buf_set_option(bufnr, "shiftwidth", 2)
  vim.api.nvim_buf_set_option(bufnr, "softtabstop", 2)
  vim.api.nvim_buf_set_option(bufnr, "expandtab", true)
  vim.api.nvim_buf_set_option(bufnr, "omnifunc", "v:lua.vim.lsp.omnifunc")
  vim.api.nvim_buf_set_option(bufnr, "makeprg", "journeyc check %")
  vim.api.nvim_buf_set_option(bufnr, "errorformat",
    "%f:%l:%c: %trror[%n]: %m,%f:%l:%c: %tarning[%n]: %m,%f:%l:%c: %trror: %m,%-G%.%#")
end

function M.setup(opts)
  config = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts or {})
  -- `vim.tbl_deep_extend` merges lists by index; take cmd as given.
  if opts and opts.cmd then
    config.cmd = opts.cmd
  end

  local group = vim.api.nvim_create_augroup("journey", { clear = true })
  -- Filetype detection by autocommand works with filetype.vim (0.7's
  -- default) and filetype.lua alike.
  vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
    group = group,
    pattern = { "*.journey", "*.jstd" },
    command = "setfiletype journey",
  })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = "journey",
    callback = function(args)
      buffer_options(args.buf)
      M.attach(args.buf)
    end,
  })
end

return M
