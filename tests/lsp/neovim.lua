-- Driven by tests/lsp.rs (neovim_applies_a_quick_fix): Neovim's own LSP client
-- (vim.lsp) starts `slimfile lsp` on a Dockerfile, waits for its diagnostics,
-- asks for the code actions on the first name-stages diagnostic, applies the
-- quick fix, and writes what it saw to $SLIMFILE_NVIM_OUT (JSON). Works on
-- Neovim 0.7 (Debian bookworm) and later.
local out = os.getenv('SLIMFILE_NVIM_OUT')
local function finish(result)
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  local file = os.getenv('SLIMFILE_NVIM_FILE')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'slimfile',
    cmd = { os.getenv('SLIMFILE_BIN'), 'lsp' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
  })
  assert(client_id, 'the client did not start')
  vim.lsp.buf_attach_client(buf, client_id)
  local got = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
  assert(got, 'no diagnostics from slimfile within 20 s')
  local codes, target = {}, nil
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    -- 0.7 keeps only the code in user_data.lsp: the range comes from the
    -- diagnostic (byte columns, the same as UTF-16 on this ASCII file)
    local code = d.code or ((d.user_data or {}).lsp or {}).code
    table.insert(codes, code)
    if code == 'name-stages' and target == nil then
      target = {
        range = {
          start = { line = d.lnum, character = d.col },
          ['end'] = { line = d.end_lnum, character = d.end_col },
        },
        message = d.message,
        code = code,
        source = d.source,
      }
    end
  end
  assert(target, 'no name-stages diagnostic')
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = target.range,
    context = { diagnostics = { target } },
  }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 10000)
  assert(responses, 'no code action response')
  local titles, applied = {}, nil
  for _, response in pairs(responses) do
    for _, action in ipairs(response.result or {}) do
      table.insert(titles, action.title)
      if applied == nil and action.kind == 'quickfix' and action.title:find('^slimfile name%-stages') then
        vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
        applied = action.title
      end
    end
  end
  assert(applied, 'no name-stages quick fix in ' .. vim.inspect(responses))
  finish({
    codes = codes,
    titles = titles,
    applied = applied,
    lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false),
  })
end)
if not ok then finish({ error = tostring(err) }) end
