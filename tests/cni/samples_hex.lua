-- samples_hex.lua: prints each CNI sample of lua/cni/samples.lua as hex, for
-- tests/cni/test_cni_samples_embedded.sh to compare with the corpus files.
scenario{name = "cni-samples-hex", description = "the embedded CNI samples, as hex"}
local samples = require("cni.samples")
for _, name in ipairs(samples.names) do
  local text = samples[name]
  local hex = text:gsub(".", function(c) return string.format("%02x", c:byte()) end)
  print("sample " .. name .. " " .. #text .. " " .. hex)
end
