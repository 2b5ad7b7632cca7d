-- cni/samples.lua: the CNI configurations of tests/corpus/cni-samples
-- (copied from ../shared/reference/cni-samples; provenance in that folder's
-- SOURCES.md), read as given, byte for byte, from the corpus
-- (read_file, docs/scenarios.md).
--
-- samples[name] -> the file's text; samples.names -> the *.conf names, sorted.

local DIR = "tests/corpus/cni-samples"

local M = {names = {}}
for _, name in ipairs(list_files(DIR)) do
  if name:match("%.conf$") then M.names[#M.names + 1] = name end
end
for _, name in ipairs(M.names) do M[name] = read_file(DIR .. "/" .. name) end

return M
